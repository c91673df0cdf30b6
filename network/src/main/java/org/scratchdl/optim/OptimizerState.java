package org.scratchdl.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchdl.tensor.Tensor;

/**
 * An optimizer's state for checkpoints: per-parameter tensors named {@code <slot>.<parameter
 * index>} (e.g. Adam's {@code m.0}, {@code v.0}) and integer counters (e.g. Adam's {@code step}).
 *
 * @param tensors state tensors by name (shared, not copied)
 * @param counters integer state by name
 */
public record OptimizerState(Map<String, Tensor> tensors, Map<String, Long> counters) {

    /**
     * Copies the maps (not the tensors) and makes them unmodifiable.
     *
     * @param tensors state tensors by name (shared, not copied)
     * @param counters integer state by name
     */
    public OptimizerState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /**
     * The state of a stateless optimizer.
     *
     * @return state without tensors or counters
     */
    public static OptimizerState empty() {
        return new OptimizerState(Map.of(), Map.of());
    }

    /**
     * A counter by name.
     *
     * @param name the counter's name, e.g. {@code step}
     * @return its value
     * @throws IllegalArgumentException if it is missing
     */
    public long counter(String name) {
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("optimizer state has no counter '" + name + "'");
        }
        return v;
    }
}
