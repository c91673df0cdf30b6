package org.scratchdl.tensor;

/** {@link AdamKernel} in plain Java, element by element, as the book's formula reads. */
public final class ScalarAdamKernel implements AdamKernel {
    /** The one instance (the class has no state). */
    public static final ScalarAdamKernel INSTANCE = new ScalarAdamKernel();

    private ScalarAdamKernel() {
    }

    @Override
    public void update(float[] w, float[] g, float[] m, float[] v, int from, int to, float oneMinusBeta1,
                       float oneMinusBeta2, float lrT, float eps) {
        for (int j = from; j < to; j++) {
            m[j] += oneMinusBeta1 * (g[j] - m[j]);
            v[j] += oneMinusBeta2 * (g[j] * g[j] - v[j]);
            w[j] -= lrT * m[j] / ((float) Math.sqrt(v[j]) + eps);
        }
    }
}
