package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link VectorGemm} for processors with 16 vector registers (x86 without
 * AVX-512, where the preferred vector holds 8 floats with AVX2): tiles of
 * {@value VectorGemmKernels#SHORT_TILE_ROWS} rows instead of
 * {@value VectorGemmKernels#TALL_TILE_ROWS}. A tile of 6 rows × 2 vectors holds 12 accumulators, 2
 * B vectors and 1 broadcast A value: 15 registers. The ten-row tile needs 23: with 16 registers,
 * HotSpot's compiled loop (disassembled, JDK 17 on an AVX2 processor) kept 9 of its 20 accumulators
 * on the stack, loading and storing each around its fused multiply-add at every step of the depth;
 * the six-row kernels ran the same multiplies 1.2 to 2 times as fast there (see
 * docs/performance.md).
 *
 * <p>One kernel per layout of A and width, as the ten-row kernels of
 * {@link VectorGemmRowMajorAKernels} (row-major A) and {@link VectorGemmTransposedAKernels}
 * (exactly a whole tile of a transposed A): the same arguments, the same handling of fewer rows
 * than a tile, and the same chain of fused multiply-adds for each element of C, so the results do
 * not depend on the tile height.
 */
final class VectorGemmShortTileKernels {
    private static final VectorSpecies<Float> S = VectorGemmKernels.S;

    private VectorGemmShortTileKernels() {
    }

    /** {@link VectorGemmRowMajorAKernels#oneVector} for six rows of a row-major A. */
    static void rowMajorAOneVector(int kc, float[] a, int ai, int rows, int rowStride,
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
        FloatVector s0a, s1a, s2a, s3a, s4a, s5a;
        if (load) {
            s0a = FloatVector.fromArray(S, c, c0 + col0);
            s1a = FloatVector.fromArray(S, c, c1 + col0);
            s2a = FloatVector.fromArray(S, c, c2 + col0);
            s3a = FloatVector.fromArray(S, c, c3 + col0);
            s4a = FloatVector.fromArray(S, c, c4 + col0);
            s5a = FloatVector.fromArray(S, c, c5 + col0);
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z;
            s1a = z;
            s2a = z;
            s3a = z;
            s4a = z;
            s5a = z;
        }
        int j = bi;
        // A is read at a_r + p, p the loop counter: the JIT checks those bounds once, before the loop
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            s0a = x.fma(ba, s0a);
            x = FloatVector.broadcast(S, a[a1 + p]);
            s1a = x.fma(ba, s1a);
            x = FloatVector.broadcast(S, a[a2 + p]);
            s2a = x.fma(ba, s2a);
            x = FloatVector.broadcast(S, a[a3 + p]);
            s3a = x.fma(ba, s3a);
            x = FloatVector.broadcast(S, a[a4 + p]);
            s4a = x.fma(ba, s4a);
            x = FloatVector.broadcast(S, a[a5 + p]);
            s5a = x.fma(ba, s5a);
        }
        s0a.intoArray(c, c0 + col0);
        s1a.intoArray(c, c1 + col0);
        s2a.intoArray(c, c2 + col0);
        s3a.intoArray(c, c3 + col0);
        s4a.intoArray(c, c4 + col0);
        s5a.intoArray(c, c5 + col0);
    }

    /** {@link VectorGemmRowMajorAKernels#twoVectors} for six rows of a row-major A. */
    static void rowMajorATwoVectors(int kc, float[] a, int ai, int rows, int rowStride,
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
        FloatVector s0a, s0b, s1a, s1b, s2a, s2b, s3a, s3b, s4a, s4b, s5a, s5b;
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
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z; s0b = z;
            s1a = z; s1b = z;
            s2a = z; s2b = z;
            s3a = z; s3b = z;
            s4a = z; s4b = z;
            s5a = z; s5b = z;
        }
        int j = bi;
        // A is read at a_r + p, p the loop counter: the JIT checks those bounds once, before the loop
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector bb = FloatVector.fromArray(S, bp, j + b1);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            s0a = x.fma(ba, s0a); s0b = x.fma(bb, s0b);
            x = FloatVector.broadcast(S, a[a1 + p]);
            s1a = x.fma(ba, s1a); s1b = x.fma(bb, s1b);
            x = FloatVector.broadcast(S, a[a2 + p]);
            s2a = x.fma(ba, s2a); s2b = x.fma(bb, s2b);
            x = FloatVector.broadcast(S, a[a3 + p]);
            s3a = x.fma(ba, s3a); s3b = x.fma(bb, s3b);
            x = FloatVector.broadcast(S, a[a4 + p]);
            s4a = x.fma(ba, s4a); s4b = x.fma(bb, s4b);
            x = FloatVector.broadcast(S, a[a5 + p]);
            s5a = x.fma(ba, s5a); s5b = x.fma(bb, s5b);
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
    }

    /** {@link VectorGemmTransposedAKernels#oneVector} for exactly six rows of a transposed A. */
    static void transposedAOneVector(int kc, float[] a, int ai, int depthStride,
                                     float[] bp, int bi, int bStride, int b0, float[] c, int ci, int ldc, int col0,
                                     boolean load) {
        int c0 = ci;
        int c1 = ci + ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        FloatVector s0a, s1a, s2a, s3a, s4a, s5a;
        if (load) {
            s0a = FloatVector.fromArray(S, c, c0 + col0);
            s1a = FloatVector.fromArray(S, c, c1 + col0);
            s2a = FloatVector.fromArray(S, c, c2 + col0);
            s3a = FloatVector.fromArray(S, c, c3 + col0);
            s4a = FloatVector.fromArray(S, c, c4 + col0);
            s5a = FloatVector.fromArray(S, c, c5 + col0);
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z;
            s1a = z;
            s2a = z;
            s3a = z;
            s4a = z;
            s5a = z;
        }
        int q = ai;
        int j = bi;
        // the tile's values of A at depth p are a[q .. q+5]: the JIT checks only the two ends
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector x;
            x = FloatVector.broadcast(S, a[q]);
            s0a = x.fma(ba, s0a);
            x = FloatVector.broadcast(S, a[q + 1]);
            s1a = x.fma(ba, s1a);
            x = FloatVector.broadcast(S, a[q + 2]);
            s2a = x.fma(ba, s2a);
            x = FloatVector.broadcast(S, a[q + 3]);
            s3a = x.fma(ba, s3a);
            x = FloatVector.broadcast(S, a[q + 4]);
            s4a = x.fma(ba, s4a);
            x = FloatVector.broadcast(S, a[q + 5]);
            s5a = x.fma(ba, s5a);
            q += depthStride;
        }
        s0a.intoArray(c, c0 + col0);
        s1a.intoArray(c, c1 + col0);
        s2a.intoArray(c, c2 + col0);
        s3a.intoArray(c, c3 + col0);
        s4a.intoArray(c, c4 + col0);
        s5a.intoArray(c, c5 + col0);
    }

    /** {@link VectorGemmTransposedAKernels#twoVectors} for exactly six rows of a transposed A. */
    static void transposedATwoVectors(int kc, float[] a, int ai, int depthStride,
                                      float[] bp, int bi, int bStride, int b0, int b1, float[] c, int ci, int ldc,
                                      int col0, int col1, boolean load) {
        int c0 = ci;
        int c1 = ci + ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        FloatVector s0a, s0b, s1a, s1b, s2a, s2b, s3a, s3b, s4a, s4b, s5a, s5b;
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
        } else {
            FloatVector z = FloatVector.zero(S);
            s0a = z; s0b = z;
            s1a = z; s1b = z;
            s2a = z; s2b = z;
            s3a = z; s3b = z;
            s4a = z; s4b = z;
            s5a = z; s5b = z;
        }
        int q = ai;
        int j = bi;
        // the tile's values of A at depth p are a[q .. q+5]: the JIT checks only the two ends
        for (int p = 0; p < kc; p++, j += bStride) {
            FloatVector ba = FloatVector.fromArray(S, bp, j + b0);
            FloatVector bb = FloatVector.fromArray(S, bp, j + b1);
            FloatVector x;
            x = FloatVector.broadcast(S, a[q]);
            s0a = x.fma(ba, s0a); s0b = x.fma(bb, s0b);
            x = FloatVector.broadcast(S, a[q + 1]);
            s1a = x.fma(ba, s1a); s1b = x.fma(bb, s1b);
            x = FloatVector.broadcast(S, a[q + 2]);
            s2a = x.fma(ba, s2a); s2b = x.fma(bb, s2b);
            x = FloatVector.broadcast(S, a[q + 3]);
            s3a = x.fma(ba, s3a); s3b = x.fma(bb, s3b);
            x = FloatVector.broadcast(S, a[q + 4]);
            s4a = x.fma(ba, s4a); s4b = x.fma(bb, s4b);
            x = FloatVector.broadcast(S, a[q + 5]);
            s5a = x.fma(ba, s5a); s5b = x.fma(bb, s5b);
            q += depthStride;
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
    }
}
