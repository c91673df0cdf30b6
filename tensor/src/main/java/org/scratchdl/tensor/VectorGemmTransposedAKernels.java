package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link VectorGemm} for exactly {@value VectorGemmKernels#TALL_TILE_ROWS}
 * rows of a transposed A (row stride 1; arguments as described in {@link VectorGemmKernels},
 * without the row count and row stride). The tile's values of A at depth p are the adjacent
 * {@code a[q .. q+10)}, so the JIT checks only the two ends, inside the loop.
 */
final class VectorGemmTransposedAKernels {
    private static final VectorSpecies<Float> S = VectorGemmKernels.S;

    private VectorGemmTransposedAKernels() {
    }

    /**
     * Ten rows × 1 vector (L columns) of C.
     */
    static void oneVector(int kc, float[] a, int ai, int depthStride,
                         float[] bp, int bi, int bStride, int b0, float[] c, int ci, int ldc, int col0,
                         boolean load) {
        int c0 = ci;
        int c1 = ci + ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        int c6 = ci + 6 * ldc;
        int c7 = ci + 7 * ldc;
        int c8 = ci + 8 * ldc;
        int c9 = ci + 9 * ldc;
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
        int q = ai;
        int j = bi;
        // the tile's values of A at depth p are a[q .. q+9]: the JIT checks only the two ends
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
            x = FloatVector.broadcast(S, a[q + 6]);
            s6a = x.fma(ba, s6a);
            x = FloatVector.broadcast(S, a[q + 7]);
            s7a = x.fma(ba, s7a);
            x = FloatVector.broadcast(S, a[q + 8]);
            s8a = x.fma(ba, s8a);
            x = FloatVector.broadcast(S, a[q + 9]);
            s9a = x.fma(ba, s9a);
            q += depthStride;
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
     * Ten rows × 2 vectors (2·L columns) of C.
     */
    static void twoVectors(int kc, float[] a, int ai, int depthStride,
                          float[] bp, int bi, int bStride, int b0, int b1, float[] c, int ci, int ldc,
                          int col0, int col1, boolean load) {
        int c0 = ci;
        int c1 = ci + ldc;
        int c2 = ci + 2 * ldc;
        int c3 = ci + 3 * ldc;
        int c4 = ci + 4 * ldc;
        int c5 = ci + 5 * ldc;
        int c6 = ci + 6 * ldc;
        int c7 = ci + 7 * ldc;
        int c8 = ci + 8 * ldc;
        int c9 = ci + 9 * ldc;
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
        int q = ai;
        int j = bi;
        // the tile's values of A at depth p are a[q .. q+9]: the JIT checks only the two ends
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
            x = FloatVector.broadcast(S, a[q + 6]);
            s6a = x.fma(ba, s6a); s6b = x.fma(bb, s6b);
            x = FloatVector.broadcast(S, a[q + 7]);
            s7a = x.fma(ba, s7a); s7b = x.fma(bb, s7b);
            x = FloatVector.broadcast(S, a[q + 8]);
            s8a = x.fma(ba, s8a); s8b = x.fma(bb, s8b);
            x = FloatVector.broadcast(S, a[q + 9]);
            s9a = x.fma(ba, s9a); s9b = x.fma(bb, s9b);
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
