package org.scratchdl.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Per-parameter state tensors of an optimizer ("slots" such as Adam's {@code m} and {@code v}),
 * created as zeros on first use and exported as {@code <slot>.<parameter index>}.
 */
final class SlotState {
    private final String[] slotNames;
    private final List<Tensor[]> slots = new ArrayList<>();

    SlotState(String... slotNames) {
        this.slotNames = slotNames.clone();
    }

    /** Slot tensors of parameter {@code i}, in slot-name order, created on first use. */
    Tensor[] of(List<Parameter> parameters, int i) {
        if (slots.isEmpty()) {
            for (Parameter p : parameters) {
                Tensor[] s = new Tensor[slotNames.length];
                for (int k = 0; k < s.length; k++) {
                    s[k] = Tensor.zeros(p.value().shape());
                }
                slots.add(s);
            }
        }
        if (slots.size() != parameters.size()) {
            throw new IllegalArgumentException("optimizer was used with " + slots.size() + " parameters, now given "
                    + parameters.size());
        }
        Tensor[] s = slots.get(i);
        if (s[0].size() != parameters.get(i).value().size()) {
            throw new IllegalArgumentException("parameter " + i + " changed shape to "
                    + parameters.get(i).value().shapeString());
        }
        return s;
    }

    Map<String, Tensor> export() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            for (int k = 0; k < slotNames.length; k++) {
                out.put(slotNames[k] + "." + i, slots.get(i)[k]);
            }
        }
        return out;
    }

    void importFrom(Map<String, Tensor> state, List<Parameter> parameters) {
        List<Tensor[]> loaded = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Tensor[] s = new Tensor[slotNames.length];
            for (int k = 0; k < slotNames.length; k++) {
                String key = slotNames[k] + "." + i;
                Tensor t = state.get(key);
                if (t == null) {
                    throw new IllegalArgumentException("optimizer state has no tensor '" + key + "'");
                }
                Shapes.requireShape(t, parameters.get(i).value().shape(), "optimizer state '" + key + "'");
                s[k] = t.copy();
            }
            loaded.add(s);
        }
        slots.clear();
        slots.addAll(loaded);
    }
}
