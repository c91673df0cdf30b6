package org.scratchdl.tensor;

/**
 * A matrix-multiply kernel behind {@link MatMul}. Implementations must give the same result for
 * the same inputs and thread count every time (no racing float additions).
 */
public interface GemmKernel {

    /** {@code c (=|+=) op(a)·op(b)}; shapes as in {@link MatMul}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
              boolean accumulate, Parallelism parallelism);

    /** The fastest kernel available in this JVM. */
    static GemmKernel fastest() {
        return EjmlGemm.INSTANCE;
    }
}
