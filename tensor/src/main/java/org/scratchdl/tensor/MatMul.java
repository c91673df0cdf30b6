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
     * @throws IllegalArgumentException if the inner dimensions differ
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
