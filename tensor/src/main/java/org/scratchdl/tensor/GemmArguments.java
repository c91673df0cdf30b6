package org.scratchdl.tensor;

/**
 * The argument checks every {@link GemmKernel} shares: non-negative sizes, operands that fit their
 * arrays, and an output that overlaps neither input.
 */
final class GemmArguments {
    private GemmArguments() {
    }

    /**
     * Checks the arguments of {@link GemmKernel#gemm}; shapes as in {@link MatMul}.
     *
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if a size or offset is negative, an operand does not fit in its
     *     array from its offset, or the output range overlaps an input range of the same array
     */
    static void check(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        if (a == null || b == null || c == null) {
            throw new NullPointerException("gemm: a, b and c must not be null");
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        requireFits("A", a, aOff, (long) m * k);
        requireFits("B", b, bOff, (long) k * n);
        requireFits("C", c, cOff, (long) m * n);
        requireDisjoint("A", a, aOff, (long) m * k, c, cOff, (long) m * n);
        requireDisjoint("B", b, bOff, (long) k * n, c, cOff, (long) m * n);
    }

    private static void requireFits(String name, float[] array, int offset, long size) {
        if (offset < 0 || offset + size > array.length) {
            throw new IllegalArgumentException("gemm: " + name + " needs " + size + " elements from offset "
                    + offset + " but its array has " + array.length);
        }
    }

    private static void requireDisjoint(String name, float[] in, int inOff, long inSize,
                                        float[] c, int cOff, long cSize) {
        if (in == c && inSize > 0 && cSize > 0 && inOff < cOff + cSize && cOff < inOff + inSize) {
            throw new IllegalArgumentException("gemm: the output C overlaps the input " + name
                    + " (same array, ranges [" + cOff + ", " + (cOff + cSize) + ") and [" + inOff + ", "
                    + (inOff + inSize) + "))");
        }
    }
}
