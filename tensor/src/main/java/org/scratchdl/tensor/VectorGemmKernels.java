package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels of {@link VectorGemm}: each computes a tile of up to
 * {@value #TALL_TILE_ROWS} rows by one or two vectors of C over one depth block, keeping the whole
 * tile in vector registers ({@code rows·vectors} accumulators, fused multiply-add). The two-vector
 * kernel holds 20 accumulators, 2 B vectors and 1 broadcast A value in 32 vector registers
 * (AVX-512, 64-bit ARM); where there are only 16, {@link VectorGemm} uses the six-row kernels of
 * {@link VectorGemmShortTileKernels} instead ({@link #SHORT_TILES}). This class also holds what
 * all kernels share: the species, the tile heights, and the choice between them.
 *
 * <p>Arguments, common to all kernels: {@code kc} depth; {@code a[ai + r·rowStride + p·depthStride]}
 * is {@code op(A)[row r, depth p]} (so row-major A has strides (k, 1) and transposed A (1, m));
 * vector v of B at depth p is {@code bp[bi + p·bStride + bV .. +L)} with {@code bV} = {@code b0}
 * or {@code b1} (a packed panel has {@code bStride = vectors·L, b0 = 0, b1 = L}; a row-major B read
 * in place has {@code bStride = n} and the panel's columns as offsets); C row r starts at
 * {@code c[ci + r·ldc]} and vector v of the tile covers columns {@code colV .. colV+L-1} of that
 * row; {@code rows} (1..10) is how many rows are real: the kernel recomputes the last real row in
 * place of missing ones, so it never reads or writes past row {@code rows-1}, and stores the same
 * values twice instead. With {@code load} the tile starts from C ({@code C +=}), else from zero.
 * Each element is one chain of {@code fma} over p in order.
 *
 * <p>The kernels are fully unrolled over their rows and vectors (so that each accumulator is a
 * local variable the JIT keeps in a register) and identical apart from their width. These general
 * kernels check the bounds of each row's load of A inside the loop; {@link VectorGemm} uses them
 * only for a partial tile of a transposed A, and otherwise the versions of
 * {@link VectorGemmRowMajorAKernels} and {@link VectorGemmTransposedAKernels}, which keep those
 * checks out of the loop or down to two. With the ten checks, the JIT's register allocation of
 * the loop was seen to differ from JVM to JVM (the compiled code of a fast and a slow run,
 * disassembled): the slow one kept the two B vectors on the stack and reloaded them before every
 * fused multiply-add, and ran the same multiply 2 to 4 times slower than the fast runs until it
 * exited (figures in docs/performance.md, section "The JIT").
 */
final class VectorGemmKernels {
    /** The preferred float species of this machine. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int LANES = S.length();
    /**
     * Rows of C per tile of the kernels for 32 vector registers: those of this class, of
     * {@link VectorGemmRowMajorAKernels} and of {@link VectorGemmTransposedAKernels}.
     */
    static final int TALL_TILE_ROWS = 10;
    /** Rows of C per tile of {@link VectorGemmShortTileKernels}, for 16 vector registers. */
    static final int SHORT_TILE_ROWS = 6;
    /**
     * Whether {@link VectorGemm} uses the short tiles: on x86 when the preferred vector holds fewer
     * than 16 floats. x86 processors without AVX-512 (AVX2 and older) have 16 vector registers;
     * those with AVX-512 have 32, and their preferred vector holds 16 floats unless the JVM is told
     * to use shorter ones; 64-bit ARM has 32.
     */
    static final boolean SHORT_TILES = isX86(System.getProperty("os.arch", "")) && LANES < 16;
    /** Rows of C per tile on this machine, {@link #SHORT_TILE_ROWS} or {@link #TALL_TILE_ROWS}. */
    static final int ROWS = SHORT_TILES ? SHORT_TILE_ROWS : TALL_TILE_ROWS;

    private static final int L = LANES;

    private VectorGemmKernels() {
    }

    /** Whether {@code os.arch} names an x86 processor (32 or 64 bits). */
    static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.matches("i[3-6]86");
    }

    /** Copies one vector: {@code dst[to .. to+L) = src[from .. from+L)}. */
    static void copyVector(float[] src, int from, float[] dst, int to) {
        FloatVector.fromArray(S, src, from).intoArray(dst, to);
    }

    /**
     * Up to {@value #TALL_TILE_ROWS} rows × 1 vector (1·L columns) of C; arguments as in the class
     * comment.
     */
    static void oneVector(int kc, float[] a, int ai, int rows, int rowStride, int depthStride,
                         float[] bp, int bi, int bStride, int b0, float[] c, int ci, int ldc, int col0,
                         boolean load) {
        int a0 = ai;
        int c0 = ci;
        int a1 = ai + Math.min(1, rows - 1) * rowStride;
        int c1 = ci + Math.min(1, rows - 1) * ldc;
        int a2 = ai + Math.min(2, rows - 1) * rowStride;
        int c2 = ci + Math.min(2, rows - 1) * ldc;
        int a3 = ai + Math.min(3, rows - 1) * rowStride;
        int c3 = ci + Math.min(3, rows - 1) * ldc;
        int a4 = ai + Math.min(4, rows - 1) * rowStride;
        int c4 = ci + Math.min(4, rows - 1) * ldc;
        int a5 = ai + Math.min(5, rows - 1) * rowStride;
        int c5 = ci + Math.min(5, rows - 1) * ldc;
        int a6 = ai + Math.min(6, rows - 1) * rowStride;
        int c6 = ci + Math.min(6, rows - 1) * ldc;
        int a7 = ai + Math.min(7, rows - 1) * rowStride;
        int c7 = ci + Math.min(7, rows - 1) * ldc;
        int a8 = ai + Math.min(8, rows - 1) * rowStride;
        int c8 = ci + Math.min(8, rows - 1) * ldc;
        int a9 = ai + Math.min(9, rows - 1) * rowStride;
        int c9 = ci + Math.min(9, rows - 1) * ldc;
        FloatVector s0a, s1a, s2a, s3a, s4a, s5a, s6a, s7a, s8a, s9a;
        if (load) {
            s0a = FloatVector.fromArray(S, c, c0 + col0);
            s1a = FloatVector.fromArray(S, c, c1 + col0);
            s2a = FloatVector.fromArray(S, c, c2 + col0);
            s3a = FloatVector.fromArray(S, c, c3 + col0);
            s4a = FloatVector.fromArray(S, c, c4 + col0);
            s5a = FloatVector.fromArray(S, c, c5 + col0);
            s6a = FloatVector.fromArray(S, c, c6 + col0);
            s7a = FloatVector.fromArray(S, c, c7 + col0);
            s8a = FloatVector.fromArray(S, c, c8 + col0);
            s9a = FloatVector.fromArray(S, c, c9 + col0);
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z;
            s1a = z;
            s2a = z;
            s3a = z;
            s4a = z;
            s5a = z;
            s6a = z;
            s7a = z;
            s8a = z;
            s9a = z;
        }
        int off = 0;
        int j = bi;
        // counted on p (constant step), so the JIT treats it as a counted loop whatever bStride is
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + off]);
            s0a = x.fma(ba, s0a);
            x = FloatVector.broadcast(S, a[a1 + off]);
            s1a = x.fma(ba, s1a);
            x = FloatVector.broadcast(S, a[a2 + off]);
            s2a = x.fma(ba, s2a);
            x = FloatVector.broadcast(S, a[a3 + off]);
            s3a = x.fma(ba, s3a);
            x = FloatVector.broadcast(S, a[a4 + off]);
            s4a = x.fma(ba, s4a);
            x = FloatVector.broadcast(S, a[a5 + off]);
            s5a = x.fma(ba, s5a);
            x = FloatVector.broadcast(S, a[a6 + off]);
            s6a = x.fma(ba, s6a);
            x = FloatVector.broadcast(S, a[a7 + off]);
            s7a = x.fma(ba, s7a);
            x = FloatVector.broadcast(S, a[a8 + off]);
            s8a = x.fma(ba, s8a);
            x = FloatVector.broadcast(S, a[a9 + off]);
            s9a = x.fma(ba, s9a);
            off += depthStride;
        }
        s0a.intoArray(c, c0 + col0);
        s1a.intoArray(c, c1 + col0);
        s2a.intoArray(c, c2 + col0);
        s3a.intoArray(c, c3 + col0);
        s4a.intoArray(c, c4 + col0);
        s5a.intoArray(c, c5 + col0);
        s6a.intoArray(c, c6 + col0);
        s7a.intoArray(c, c7 + col0);
        s8a.intoArray(c, c8 + col0);
        s9a.intoArray(c, c9 + col0);
    }

    /**
     * Up to {@value #TALL_TILE_ROWS} rows × 2 vectors (2·L columns) of C; arguments as in the class
     * comment.
     */
    static void twoVectors(int kc, float[] a, int ai, int rows, int rowStride, int depthStride,
                          float[] bp, int bi, int bStride, int b0, int b1, float[] c, int ci, int ldc,
                          int col0, int col1, boolean load) {
        int a0 = ai;
        int c0 = ci;
        int a1 = ai + Math.min(1, rows - 1) * rowStride;
        int c1 = ci + Math.min(1, rows - 1) * ldc;
        int a2 = ai + Math.min(2, rows - 1) * rowStride;
        int c2 = ci + Math.min(2, rows - 1) * ldc;
        int a3 = ai + Math.min(3, rows - 1) * rowStride;
        int c3 = ci + Math.min(3, rows - 1) * ldc;
        int a4 = ai + Math.min(4, rows - 1) * rowStride;
        int c4 = ci + Math.min(4, rows - 1) * ldc;
        int a5 = ai + Math.min(5, rows - 1) * rowStride;
        int c5 = ci + Math.min(5, rows - 1) * ldc;
        int a6 = ai + Math.min(6, rows - 1) * rowStride;
        int c6 = ci + Math.min(6, rows - 1) * ldc;
        int a7 = ai + Math.min(7, rows - 1) * rowStride;
        int c7 = ci + Math.min(7, rows - 1) * ldc;
        int a8 = ai + Math.min(8, rows - 1) * rowStride;
        int c8 = ci + Math.min(8, rows - 1) * ldc;
        int a9 = ai + Math.min(9, rows - 1) * rowStride;
        int c9 = ci + Math.min(9, rows - 1) * ldc;
        FloatVector s0a, s0b, s1a, s1b, s2a, s2b, s3a, s3b, s4a, s4b, s5a, s5b,
                s6a, s6b, s7a, s7b, s8a, s8b, s9a, s9b;
        if (load) {
            s0a = FloatVector.fromArray(S, c, c0 + col0);
            s0b = FloatVector.fromArray(S, c, c0 + col1);
            s1a = FloatVector.fromArray(S, c, c1 + col0);
            s1b = FloatVector.fromArray(S, c, c1 + col1);
            s2a = FloatVector.fromArray(S, c, c2 + col0);
            s2b = FloatVector.fromArray(S, c, c2 + col1);
            s3a = FloatVector.fromArray(S, c, c3 + col0);
            s3b = FloatVector.fromArray(S, c, c3 + col1);
            s4a = FloatVector.fromArray(S, c, c4 + col0);
            s4b = FloatVector.fromArray(S, c, c4 + col1);
            s5a = FloatVector.fromArray(S, c, c5 + col0);
            s5b = FloatVector.fromArray(S, c, c5 + col1);
            s6a = FloatVector.fromArray(S, c, c6 + col0);
            s6b = FloatVector.fromArray(S, c, c6 + col1);
            s7a = FloatVector.fromArray(S, c, c7 + col0);
            s7b = FloatVector.fromArray(S, c, c7 + col1);
            s8a = FloatVector.fromArray(S, c, c8 + col0);
            s8b = FloatVector.fromArray(S, c, c8 + col1);
            s9a = FloatVector.fromArray(S, c, c9 + col0);
            s9b = FloatVector.fromArray(S, c, c9 + col1);
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z; s0b = z;
            s1a = z; s1b = z;
            s2a = z; s2b = z;
            s3a = z; s3b = z;
            s4a = z; s4b = z;
            s5a = z; s5b = z;
            s6a = z; s6b = z;
            s7a = z; s7b = z;
            s8a = z; s8b = z;
            s9a = z; s9b = z;
        }
        int off = 0;
        int j = bi;
        // counted on p (constant step), so the JIT treats it as a counted loop whatever bStride is
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector bb = FloatVector.fromArray(S, bp, j + b1);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + off]);
            s0a = x.fma(ba, s0a); s0b = x.fma(bb, s0b);
            x = FloatVector.broadcast(S, a[a1 + off]);
            s1a = x.fma(ba, s1a); s1b = x.fma(bb, s1b);
            x = FloatVector.broadcast(S, a[a2 + off]);
            s2a = x.fma(ba, s2a); s2b = x.fma(bb, s2b);
            x = FloatVector.broadcast(S, a[a3 + off]);
            s3a = x.fma(ba, s3a); s3b = x.fma(bb, s3b);
            x = FloatVector.broadcast(S, a[a4 + off]);
            s4a = x.fma(ba, s4a); s4b = x.fma(bb, s4b);
            x = FloatVector.broadcast(S, a[a5 + off]);
            s5a = x.fma(ba, s5a); s5b = x.fma(bb, s5b);
            x = FloatVector.broadcast(S, a[a6 + off]);
            s6a = x.fma(ba, s6a); s6b = x.fma(bb, s6b);
            x = FloatVector.broadcast(S, a[a7 + off]);
            s7a = x.fma(ba, s7a); s7b = x.fma(bb, s7b);
            x = FloatVector.broadcast(S, a[a8 + off]);
            s8a = x.fma(ba, s8a); s8b = x.fma(bb, s8b);
            x = FloatVector.broadcast(S, a[a9 + off]);
            s9a = x.fma(ba, s9a); s9b = x.fma(bb, s9b);
            off += depthStride;
        }
        s0a.intoArray(c, c0 + col0);
        s0b.intoArray(c, c0 + col1);
        s1a.intoArray(c, c1 + col0);
        s1b.intoArray(c, c1 + col1);
        s2a.intoArray(c, c2 + col0);
        s2b.intoArray(c, c2 + col1);
        s3a.intoArray(c, c3 + col0);
        s3b.intoArray(c, c3 + col1);
        s4a.intoArray(c, c4 + col0);
        s4b.intoArray(c, c4 + col1);
        s5a.intoArray(c, c5 + col0);
        s5b.intoArray(c, c5 + col1);
        s6a.intoArray(c, c6 + col0);
        s6b.intoArray(c, c6 + col1);
        s7a.intoArray(c, c7 + col0);
        s7b.intoArray(c, c7 + col1);
        s8a.intoArray(c, c8 + col0);
        s8b.intoArray(c, c8 + col1);
        s9a.intoArray(c, c9 + col0);
        s9b.intoArray(c, c9 + col1);
    }
}
