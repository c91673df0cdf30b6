package org.scratchdl.tensor;

/**
 * Sums of many products {@code C = Σ A·Bᵀ} where both operands run along the summed dimension:
 * {@code A (m, k)} and {@code B (n, k)} row-major, so {@code C[i][j]} is the dot product of row i
 * of A with row j of B. The convolution's weight gradient has this form,
 * {@code dW_col (FN, C·FH·FW) = Σ_n dout_n (FN, OH·OW) · colᵀ_n (C·FH·FW, OH·OW)ᵀ} (Saito 2016,
 * §7.4.3), summed over the samples of a mini-batch.
 *
 * <p>The sums are kept as {@link #lanes()} partial sums per element of C, lane l holding the
 * products at depths {@code p ≡ l (mod lanes)}, so that a vector kernel can multiply whole vectors
 * of both rows and never reduce across lanes until {@link #finish}. Results are the same bits for
 * the same calls on the same kernel; two kernels with different lane counts round differently.
 */
public interface DotKernel {

    /** Partial sums per element of C (1 for the scalar kernel, the vector length otherwise). */
    int lanes();

    /**
     * Adds {@code A·Bᵀ} to the partial sums: {@code partials[(i·n + j)·lanes() + l]} gains
     * {@code a[aOff + i·k + p]·b[bOff + j·k + p]} for every depth {@code p ≡ l (mod lanes())}, each
     * by one fused multiply-add, in increasing p.
     *
     * @param partials at least {@code m·n·lanes()} floats, zero before the first call of a sum
     */
    void accumulate(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] partials);

    /**
     * Adds the row sums of {@code A (m, k)} to partial sums, as {@link #accumulate} would against a
     * B of ones: {@code partials[i·lanes() + l]} gains {@code a[aOff + i·k + p]} for every depth
     * {@code p ≡ l (mod lanes())}, in increasing p.
     *
     * @param partials at least {@code m·lanes()} floats, zero before the first call of a sum
     */
    void accumulateSums(int m, int k, float[] a, int aOff, float[] partials);

    /**
     * {@code c[cOff + e] = Σ_l partials[e·lanes() + l]} for the {@code size} elements, the lanes
     * added in order from 0.
     */
    default void finish(int size, float[] partials, float[] c, int cOff) {
        int lanes = lanes();
        for (int e = 0; e < size; e++) {
            float sum = 0f;
            for (int l = 0, at = e * lanes; l < lanes; l++) {
                sum += partials[at + l];
            }
            c[cOff + e] = sum;
        }
    }

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarDotKernel}. Chosen once.
     */
    static DotKernel fastest() {
        return FastestKernel.DOT;
    }
}
