package org.scratchdl.tensor;

/**
 * The element loop of one Adam update (Saito 2016, §6.1.6; Kingma &amp; Ba 2015, §2), in float32:
 * <pre>
 *   m ← m + (1−β1)·(g − m)
 *   v ← v + (1−β2)·(g² − v)
 *   w ← w − lr_t·m / (sqrt(v) + ε)
 * </pre>
 * Implementations give the same bits: each operation is one correctly rounded float operation, in
 * this order ({@code sqrt} of a float is correctly rounded, as {@code (float) Math.sqrt(v)} is).
 */
public interface AdamKernel {

    /**
     * Updates elements {@code from .. to-1} of the weights {@code w} and moments {@code m},
     * {@code v} from the gradient {@code g}, in place.
     *
     * @param w weights, updated
     * @param g gradient of the loss with respect to {@code w}, read only
     * @param m first moment, updated
     * @param v second moment, updated
     * @param from first element (inclusive)
     * @param to last element (exclusive)
     * @param oneMinusBeta1 {@code 1 − β1} as a float
     * @param oneMinusBeta2 {@code 1 − β2} as a float
     * @param lrT the step's bias-corrected learning rate {@code lr·sqrt(1−β2^t)/(1−β1^t)}
     * @param eps ε
     * @throws IndexOutOfBoundsException if the range does not fit one of the arrays
     */
    void update(float[] w, float[] g, float[] m, float[] v, int from, int to, float oneMinusBeta1,
                float oneMinusBeta2, float lrT, float eps);

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarAdamKernel}. Chosen once.
     *
     * @return the chosen kernel, the same instance on every call
     */
    static AdamKernel fastest() {
        return FastestKernel.ADAM;
    }
}
