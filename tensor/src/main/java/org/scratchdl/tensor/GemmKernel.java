package org.scratchdl.tensor;

/**
 * A matrix-multiply kernel behind {@link MatMul}. Implementations must give the same result for
 * the same inputs and thread count every time (no racing float additions).
 */
public interface GemmKernel {

    /**
     * {@code c (=|+=) op(a)·op(b)}; shapes as in {@link MatMul}.
     *
     * @throws IllegalArgumentException if a size or offset is negative, an operand does not fit in
     *     its array, or C overlaps A or B (checked by {@link MatMul} and by {@code VectorGemm})
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
              boolean accumulate, Parallelism parallelism);

    /**
     * The fastest kernel available in this JVM: {@code VectorGemm} when the module
     * {@code jdk.incubator.vector} is in the boot layer ({@code --add-modules jdk.incubator.vector}),
     * else {@link EjmlGemm}. Chosen once; never fails.
     */
    static GemmKernel fastest() {
        return FastestKernel.INSTANCE;
    }
}
