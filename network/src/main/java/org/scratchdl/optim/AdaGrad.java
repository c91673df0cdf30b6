package org.scratchdl.optim;

/**
 * AdaGrad (Duchi et al. 2011; Saito 2016, §6.1.5): {@code h ← h + dW²},
 * {@code W ← W − lr·dW / (sqrt(h) + ε)}.
 */
public final class AdaGrad extends SingleSlotOptimizer {

    /**
     * Learning rate {@code lr} and the default eps = 1e-7.
     *
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public AdaGrad(double lr) {
        this(lr, 1e-7);
    }

    /**
     * @param lr learning rate, positive and finite
     * @param eps ε added to {@code sqrt(h)} in the denominator, positive
     * @throws IllegalArgumentException if lr is not positive and finite or eps is out of range (not positive)
     */
    public AdaGrad(double lr, double eps) {
        super("adagrad", "sumOfSquares", lr, check("AdaGrad", "eps", eps, eps > 0));
    }

    @Override
    void update(float[] w, float[] g, float[] h, int from, int to, float rate, float eps) {
        for (int j = from; j < to; j++) {
            h[j] += g[j] * g[j];
            w[j] -= rate * g[j] / ((float) Math.sqrt(h[j]) + eps);
        }
    }
}
