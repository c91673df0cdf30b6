package org.scratchdl.optim;

/**
 * RMSprop (Tieleman &amp; Hinton 2012; Saito 2016, {@code common/optimizer.py}) with decay 0.99:
 * {@code h ← 0.99·h + 0.01·dW²}, {@code W ← W − lr·dW / (sqrt(h) + ε)}.
 */
public final class RMSprop extends SingleSlotOptimizer {

    /**
     * Learning rate {@code lr} and the default eps = 1e-7.
     *
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public RMSprop(double lr) {
        this(lr, 1e-7);
    }

    /**
     * @param lr learning rate, positive and finite
     * @param eps ε added to {@code sqrt(h)} in the denominator, positive
     * @throws IllegalArgumentException if lr is not positive and finite or eps is out of range (not positive)
     */
    public RMSprop(double lr, double eps) {
        super("rmsprop", "meanSquare", lr, check("RMSprop", "eps", eps, eps > 0));
    }

    @Override
    void update(float[] w, float[] g, float[] h, int from, int to, float rate, float eps) {
        for (int j = from; j < to; j++) {
            h[j] = 0.99f * h[j] + 0.01f * g[j] * g[j];
            w[j] -= rate * g[j] / ((float) Math.sqrt(h[j]) + eps);
        }
    }
}
