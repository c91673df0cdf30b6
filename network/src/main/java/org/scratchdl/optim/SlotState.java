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

    /**
     * The slot tensors of every parameter, in list order (each in slot-name order), created as zeros
     * on first use. The whole list is checked before anything is returned, so a step given another
     * list fails before it updates a single parameter.
     *
     * @throws IllegalArgumentException if the list's length differs from the first call's, or a
     *     parameter's shape from that of its slots
     */
    List<Tensor[]> of(List<Parameter> parameters) {
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
        for (int i = 0; i < slots.size(); i++) {
            Tensor value = parameters.get(i).value();
            Tensor slot = slots.get(i)[0];
            if (!slot.hasSameShape(value)) {
                throw new IllegalArgumentException("optimizer state of parameter " + i + " has shape "
                        + slot.shapeString() + ", the parameter now " + value.shapeString());
            }
        }
        return slots;
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
