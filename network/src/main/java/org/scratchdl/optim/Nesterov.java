package org.scratchdl.optim;

/**
 * Nesterov's accelerated gradient in the book's form (Saito 2016, {@code common/optimizer.py}):
 * {@code v ← momentum·v − lr·dW}, {@code W ← W + momentum²·v − (1 + momentum)·lr·dW}.
 */
public final class Nesterov extends SingleSlotOptimizer {

    /**
     * Learning rate {@code lr} and the default momentum = 0.9.
     *
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public Nesterov(double lr) {
        this(lr, 0.9);
    }

    /**
     * @param lr learning rate, positive and finite
     * @param momentum the factor by which the velocity v decays each step, in [0, 1)
     * @throws IllegalArgumentException if lr is not positive and finite or momentum is out of range
     *     (outside [0, 1))
     */
    public Nesterov(double lr, double momentum) {
        super("nesterov", "velocity", lr, check("Nesterov", "momentum", momentum, momentum >= 0 && momentum < 1));
    }

    @Override
    void update(float[] w, float[] g, float[] h, int from, int to, float rate, float momentum) {
        for (int j = from; j < to; j++) {
            h[j] = momentum * h[j] - rate * g[j];
            w[j] += momentum * momentum * h[j] - (1 + momentum) * rate * g[j];
        }
    }
}
