package org.scratchdl.optim;

import java.util.List;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Parallelism;

/**
 * Updates parameters in place from their gradients (Saito 2016, §6.1; {@code common/optimizer.py}).
 *
 * <p>An optimizer keeps per-parameter state (moments, velocities) for the list it is given; always
 * pass the same list, in the same order. Not thread-safe.
 */
public interface Optimizer {

    /**
     * One update of every parameter from its current gradient.
     *
     * @param parameters the model's parameters, the same list in the same order at every call; their
     *     values are updated in place, their gradients not modified
     * @throws IllegalArgumentException if an optimizer with state is given a list that differs in
     *     length or shapes from its first one (or from the state loaded by {@link #loadState}); no
     *     parameter is updated then
     */
    void step(List<Parameter> parameters);

    /**
     * Lets {@link #step} split its element-wise updates over {@code parallelism}'s threads. The
     * result is the same bits for any thread count. Before any call, the calling thread alone;
     * {@code Trainer.fit} sets the model's threads ({@code Sequential.parallelism()}) and the
     * optimizer keeps them after it returns. The default implementation ignores the call.
     *
     * @param parallelism the threads to use from the next {@link #step} on
     */
    default void useParallelism(Parallelism parallelism) {
    }

    /**
     * The learning rate.
     *
     * @return the learning rate lr given at construction
     */
    double learningRate();

    /**
     * A short name, e.g. {@code adam}.
     *
     * @return the name {@link Optimizers#create} knows this optimizer by
     */
    String name();

    /**
     * The optimizer's state, for checkpoints; empty for stateless optimizers.
     *
     * @return the state; its tensors are the optimizer's own (not copies), so a later {@link #step}
     *     changes them
     */
    OptimizerState state();

    /**
     * Restores state written by {@link #state()} for the same parameter list.
     *
     * @param state the state to restore; not modified (its tensors are copied)
     * @param parameters the list later given to {@link #step}, whose shapes the tensors must have
     * @throws IllegalArgumentException if a tensor or counter is missing or has the wrong shape
     */
    void loadState(OptimizerState state, List<Parameter> parameters);

    /**
     * Checks a learning rate.
     *
     * @param lr the learning rate
     * @return {@code lr}, unchanged
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    static double checkLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
        return lr;
    }
}
