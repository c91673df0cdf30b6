package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the register-blocked micro-kernels of {@link VectorGemm} share: the species, the tile
 * heights and the choice between them, and the kernels' common arguments. Each kernel computes a
 * tile of up to {@value #TALL_TILE_ROWS} rows by one or two vectors of C over one depth block,
 * keeping the whole tile in vector registers ({@code rows·vectors} accumulators, fused
 * multiply-add): {@link VectorGemmRowMajorAKernels} for a row-major A and
 * {@link VectorGemmTransposedAKernels} for whole tiles of a transposed A. The two-vector kernel
 * holds 20 accumulators, 2 B vectors and 1 broadcast A value in 32 vector registers (AVX-512,
 * 64-bit ARM); where there are only 16, {@link VectorGemm} uses the six-row kernels of
 * {@link VectorGemmShortTileKernels} instead ({@link #SHORT_TILES}).
 *
 * <p>Arguments, common to all kernels: {@code kc} depth; {@code a[ai + r·rowStride + p·depthStride]}
 * is {@code op(A)[row r, depth p]} (so row-major A has strides (k, 1) and transposed A (1, m));
 * vector v of B at depth p is {@code bp[bi + p·bStride + bV .. +L)} with {@code bV} = {@code b0}
 * or {@code b1} (a packed panel has {@code bStride = vectors·L, b0 = 0, b1 = L}; a row-major B read
 * in place has {@code bStride = n} and the panel's columns as offsets); C row r starts at
 * {@code c[ci + r·ldc]} and vector v of the tile covers columns {@code colV .. colV+L-1} of that
 * row; {@code rows} (from 1 to the tile height) is how many rows are real: the kernel recomputes
 * the last real row in place of missing ones, so it never reads or writes past row
 * {@code rows-1}, and stores the same values twice instead. With {@code load} the tile starts from
 * C ({@code C +=}), else from zero. Each element is one chain of {@code fma} over p in order.
 *
 * <p>The kernels are fully unrolled over their rows and vectors (so that each accumulator is a
 * local variable the JIT keeps in a register) and identical apart from their width. They keep A's
 * bounds checks out of the loop (row-major A, read at a row's start plus the loop counter) or
 * down to the tile's two ends (transposed A). A kernel with general strides, which checked each
 * row's load of A inside the loop, was seen to get different register allocations from JVM to
 * JVM (the compiled code of a fast and a slow run, disassembled): the slow one kept the two B
 * vectors on the stack and reloaded them before every fused multiply-add, and ran the same
 * multiply 2 to 4 times slower than the fast runs until it exited (figures in
 * docs/performance.md, section "The JIT").
 */
final class VectorGemmKernels {
    /** The preferred float species of this machine. */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int LANES = S.length();
    /**
     * Rows of C per tile of the kernels for 32 vector registers, those of
     * {@link VectorGemmRowMajorAKernels} and {@link VectorGemmTransposedAKernels}.
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


    private VectorGemmKernels() {
    }

    /** Whether {@code os.arch} names an x86 processor (32 or 64 bits). */
    static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86") || arch.matches("i[3-6]86");
    }

    /** Copies one vector: {@code dst[to .. to+LANES) = src[from .. from+LANES)}. */
    static void copyVector(float[] src, int from, float[] dst, int to) {
        FloatVector.fromArray(S, src, from).intoArray(dst, to);
    }
}
