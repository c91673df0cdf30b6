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
     * @throws IllegalArgumentException if the list differs in length or shapes from earlier calls
     */
    void step(List<Parameter> parameters);

    /**
     * Lets {@link #step} split its element-wise updates over {@code parallelism}'s threads. The
     * result is the same bits for any thread count. Before any call, the calling thread alone;
     * {@code Trainer.fit} sets the model's threads ({@code Sequential.parallelism()}) and the
     * optimizer keeps them after it returns. The default implementation ignores the call.
     */
    default void useParallelism(Parallelism parallelism) {
    }

    /** The learning rate. */
    double learningRate();

    /** A short name, e.g. {@code adam}. */
    String name();

    /** The optimizer's state, for checkpoints; empty for stateless optimizers. */
    OptimizerState state();

    /**
     * Restores state written by {@link #state()} for the same parameter list.
     *
     * @throws IllegalArgumentException if a tensor or counter is missing or has the wrong shape
     */
    void loadState(OptimizerState state, List<Parameter> parameters);

    /**
     * Checks a learning rate.
     *
     * @throws IllegalArgumentException unless {@code lr} is finite and positive
     */
    static double checkLearningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
        return lr;
    }
}
