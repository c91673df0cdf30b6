package org.scratchdl.tensor;

/**
 * The one entry point for matrix multiply: {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)} on
 * row-major float32 arrays, where {@code op(X)} is {@code X} or {@code Xᵀ}.
 *
 * <p>Shapes: {@code op(A)} is (m, k), {@code op(B)} is (k, n), {@code C} is (m, n). {@code A} is
 * stored as (m, k), or as (k, m) when {@code transA}; {@code B} as (k, n), or (n, k) when
 * {@code transB}. All three are contiguous starting at their offsets. {@code A} and {@code B} are
 * not modified.
 *
 * <p>The kernel behind it is chosen once: {@link GemmKernel#fastest()}.
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * {@code c[cOff..] (=|+=) op(a)·op(b)}; see the class comment for shapes.
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
     * @param parallelism the threads to split the work over; {@link Parallelism#sequential()} for one
     * @throws NullPointerException if an array or {@code parallelism} is null
     * @throws IllegalArgumentException if a size or offset is negative, an operand does not fit in
     *     its array from its offset, or the range of C overlaps that of A or B in the same array
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                            boolean accumulate, Parallelism parallelism) {
        GemmArguments.check(m, n, k, a, aOff, b, bOff, c, cOff);
        if (parallelism == null) {
            throw new NullPointerException("gemm: parallelism must not be null");
        }
        GemmKernel.fastest().gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, parallelism);
    }

    /**
     * {@code a·b} for 2-D tensors a (m, k) and b (k, n), giving (m, n).
     *
     * @param a the left operand (m, k), not modified
     * @param b the right operand (k, n), not modified
     * @return a new tensor (m, n), computed on the calling thread
     * @throws IllegalArgumentException if {@code a} or {@code b} is not 2-D, the inner dimensions differ,
     *     or (m, n) has too many elements for one array
     */
    public static Tensor multiply(Tensor a, Tensor b) {
        Shapes.requireRank(a, 2, "matmul left operand");
        Shapes.requireRank(b, 2, "matmul right operand");
        if (a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shapeString() + " · "
                    + b.shapeString());
        }
        Tensor c = Tensor.zeros(a.dim(0), b.dim(1));
        gemm(false, false, a.dim(0), b.dim(1), a.dim(1), a.data(), 0, b.data(), 0, c.data(), 0, false,
                Parallelism.sequential());
        return c;
    }
}
