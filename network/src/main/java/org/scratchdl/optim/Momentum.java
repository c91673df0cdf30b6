package org.scratchdl.optim;

/**
 * Momentum SGD (Saito 2016, §6.1.4): {@code v ← momentum·v − lr·dW}, {@code W ← W + v}.
 */
public final class Momentum extends SingleSlotOptimizer {

    /**
     * Learning rate {@code lr} and the default momentum = 0.9.
     *
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public Momentum(double lr) {
        this(lr, 0.9);
    }

    /**
     * @param lr learning rate, positive and finite
     * @param momentum the factor by which the velocity v decays each step, in [0, 1)
     * @throws IllegalArgumentException if lr is not positive and finite or momentum is out of range
     *     (outside [0, 1))
     */
    public Momentum(double lr, double momentum) {
        super("momentum", "velocity", lr, check("Momentum", "momentum", momentum, momentum >= 0 && momentum < 1));
    }

    @Override
    void update(float[] w, float[] g, float[] h, int from, int to, float rate, float momentum) {
        for (int j = from; j < to; j++) {
            h[j] = momentum * h[j] - rate * g[j];
            w[j] += h[j];
        }
    }
}
