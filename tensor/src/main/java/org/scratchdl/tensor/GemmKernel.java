package org.scratchdl.tensor;

/**
 * A matrix-multiply kernel behind {@link MatMul}. Implementations must give the same result for
 * the same inputs and thread count every time (no racing float additions).
 */
public interface GemmKernel {

    /**
     * {@code c (=|+=) op(a)·op(b)}; shapes as in {@link MatMul}.
     *
     * @param transA whether {@code A} is stored as (k, m), so that {@code op(A) = Aᵀ}
     * @param transB whether {@code B} is stored as (n, k), so that {@code op(B) = Bᵀ}
     * @param m rows of {@code op(A)} and {@code C}
     * @param n columns of {@code op(B)} and {@code C}
     * @param k the inner dimension: columns of {@code op(A)}, rows of {@code op(B)}
     * @param a the array holding {@code A}, not modified
     * @param aOff index in {@code a} of A's first element
     * @param b the array holding {@code B}, not modified
     * @param bOff index in {@code b} of B's first element
     * @param c the array holding {@code C (m, n)}, written at {@code cOff .. cOff+m·n-1}
     * @param cOff index in {@code c} of C's first element
     * @param accumulate {@code true} for {@code C += op(A)·op(B)}, {@code false} for {@code C = op(A)·op(B)}
     * @param parallelism the threads to split the work over (an implementation may ignore it)
     * @throws NullPointerException if an array is null
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
     *
     * @return the chosen kernel, the same instance on every call
     */
    static GemmKernel fastest() {
        return FastestKernel.INSTANCE;
    }
}
