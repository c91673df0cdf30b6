package org.scratchdl.tensor;

/** {@link DotKernel} in plain Java: one partial sum per element, one chain of fused multiply-adds. */
public final class ScalarDotKernel implements DotKernel {
    /** The one instance (the class has no state). */
    public static final ScalarDotKernel INSTANCE = new ScalarDotKernel();

    private ScalarDotKernel() {
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void accumulate(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] partials) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = partials[i * n + j];
                for (int p = 0, ai = aOff + i * k, bj = bOff + j * k; p < k; p++) {
                    sum = Math.fma(a[ai + p], b[bj + p], sum);
                }
                partials[i * n + j] = sum;
            }
        }
    }

    @Override
    public void accumulateSums(int m, int k, float[] a, int aOff, float[] partials) {
        for (int i = 0; i < m; i++) {
            float sum = partials[i];
            for (int p = 0, ai = aOff + i * k; p < k; p++) {
                sum += a[ai + p];
            }
            partials[i] = sum;
        }
    }
}
