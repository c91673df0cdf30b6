package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The micro-kernels called directly, both tile heights whatever this machine uses: those for a
 * row-major A ({@link VectorGemmRowMajorAKernels}, with every row count up to a tile) and for whole
 * tiles of a transposed A ({@link VectorGemmTransposedAKernels}), and their six-row counterparts
 * ({@link VectorGemmShortTileKernels}), each gives, bit for bit, a plain {@link Math#fma} chain
 * over the depth, and leave every other element of C alone. (A partial tile of a transposed A goes
 * through the whole-tile kernel, see {@code VectorGemmTest}.) Operands sit at
 * offsets inside larger arrays with padded strides; B is read both as a packed panel and in place.
 */
class VectorGemmKernelsTest {
    private static final int L = VectorGemmKernels.LANES;
    private static final int TALL = VectorGemmKernels.TALL_TILE_ROWS;
    private static final int SHORT = VectorGemmKernels.SHORT_TILE_ROWS;
    private static final int DEPTH = 37;
    private static final float GUARD = -7.25f;

    /**
     * One tile's operands, for the kernels of tile height {@code height}: A with its strides, B with
     * its stride and vector offsets, C with its row length.
     */
    private record Tile(int height, int rows, boolean load, int vectors, float[] a, int ai, int rowStride,
                        int depthStride, float[] b, int bi, int bStride, int b0, int b1, float[] c, int ci, int ldc,
                        int col0, int col1) {

        static Tile of(int height, int rows, boolean load, int vectors, boolean rowMajorA, boolean packedB, long seed) {
            Random random = new Random(seed);
            int rowStride = rowMajorA ? DEPTH + 3 : 1;
            int depthStride = rowMajorA ? 1 : height + 3;
            int ai = 5;
            // A ends at the last real row's last element: a kernel reading a missing row fails
            float[] a = gaussian(random, ai + (rows - 1) * rowStride + (DEPTH - 1) * depthStride + 1);
            int bStride = packedB ? vectors * L : 2 * L + 5;
            int b0 = packedB ? 0 : 2;
            // in place, the two vectors overlap by 3 columns, as in the last panel of a row of C
            int b1 = packedB ? L : 2 + L - 3;
            int bi = 3;
            float[] b = gaussian(random, bi + (DEPTH - 1) * bStride + Math.max(b0, b1) + L + 4);
            int ldc = 2 * L + 7;
            int ci = 4;
            int col0 = b0 + 1;
            int col1 = b1 + 1;
            float[] c = new float[ci + height * ldc + 4];
            Arrays.fill(c, GUARD);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < ldc; j++) {
                    c[ci + r * ldc + j] = (float) random.nextGaussian();
                }
            }
            return new Tile(height, rows, load, vectors, a, ai, rowStride, depthStride, b, bi, bStride, b0, b1, c, ci,
                    ldc, col0, col1);
        }

        /** The tile as a plain fma loop would compute it, into a copy of C. */
        float[] expected() {
            float[] e = c.clone();
            int[] cols = vectors == 2 ? new int[] {col0, col1} : new int[] {col0};
            int[] offs = vectors == 2 ? new int[] {b0, b1} : new int[] {b0};
            for (int r = 0; r < rows; r++) {
                for (int v = 0; v < cols.length; v++) {
                    for (int l = 0; l < L; l++) {
                        float s = load ? c[ci + r * ldc + cols[v] + l] : 0f;
                        for (int p = 0; p < DEPTH; p++) {
                            s = Math.fma(a[ai + r * rowStride + p * depthStride], b[bi + p * bStride + offs[v] + l], s);
                        }
                        e[ci + r * ldc + cols[v] + l] = s;
                    }
                }
            }
            return e;
        }

        float[] rowMajorA() {
            float[] out = c.clone();
            if (height == SHORT && vectors == 2) {
                VectorGemmShortTileKernels.rowMajorATwoVectors(DEPTH, a, ai, rows, rowStride, b, bi, bStride, b0, b1,
                        out, ci, ldc, col0, col1, load);
            } else if (height == SHORT) {
                VectorGemmShortTileKernels.rowMajorAOneVector(DEPTH, a, ai, rows, rowStride, b, bi, bStride, b0, out,
                        ci, ldc, col0, load);
            } else if (vectors == 2) {
                VectorGemmRowMajorAKernels.twoVectors(DEPTH, a, ai, rows, rowStride, b, bi, bStride, b0, b1, out, ci,
                        ldc, col0, col1, load);
            } else {
                VectorGemmRowMajorAKernels.oneVector(DEPTH, a, ai, rows, rowStride, b, bi, bStride, b0, out, ci, ldc,
                        col0, load);
            }
            return out;
        }

        float[] transposedA() {
            float[] out = c.clone();
            if (height == SHORT && vectors == 2) {
                VectorGemmShortTileKernels.transposedATwoVectors(DEPTH, a, ai, depthStride, b, bi, bStride, b0, b1,
                        out, ci, ldc, col0, col1, load);
            } else if (height == SHORT) {
                VectorGemmShortTileKernels.transposedAOneVector(DEPTH, a, ai, depthStride, b, bi, bStride, b0, out,
                        ci, ldc, col0, load);
            } else if (vectors == 2) {
                VectorGemmTransposedAKernels.twoVectors(DEPTH, a, ai, depthStride, b, bi, bStride, b0, b1, out, ci,
                        ldc, col0, col1, load);
            } else {
                VectorGemmTransposedAKernels.oneVector(DEPTH, a, ai, depthStride, b, bi, bStride, b0, out, ci, ldc,
                        col0, load);
            }
            return out;
        }
    }

    @ParameterizedTest(name = "height={0} rows={1} load={2} vectors={3} packedB={4}")
    @MethodSource("tileCases")
    void rowMajorAKernelsGiveTheFmaChain(int height, int rows, boolean load, int vectors, boolean packedB) {
        Tile t = Tile.of(height, rows, load, vectors, true, packedB, 1000L * height + 100L * rows + vectors);
        float[] expected = t.expected();
        assertArrayEquals(expected, t.rowMajorA(), "row-major-A kernel");
    }

    /** The transposed-A kernels, which take whole tiles only. */
    @ParameterizedTest(name = "height={0} load={1} vectors={2} packedB={3}")
    @MethodSource("wholeTileCases")
    void transposedAKernelsGiveTheFmaChain(int height, boolean load, int vectors, boolean packedB) {
        Tile t = Tile.of(height, height, load, vectors, false, packedB,
                100L * height + 7L * height + vectors + (load ? 1 : 0));
        assertArrayEquals(t.expected(), t.transposedA(), "transposed-A kernel");
    }

    /**
     * Both tile heights, rows 1..height, with and without loading C, one and two vectors, B in
     * place and packed.
     */
    static Stream<Arguments> tileCases() {
        List<Arguments> list = new ArrayList<>();
        for (int height : new int[] {TALL, SHORT}) {
            for (int rows = 1; rows <= height; rows++) {
                for (boolean load : new boolean[] {false, true}) {
                    for (int vectors = 1; vectors <= 2; vectors++) {
                        for (boolean packedB : new boolean[] {false, true}) {
                            list.add(Arguments.of(height, rows, load, vectors, packedB));
                        }
                    }
                }
            }
        }
        return list.stream();
    }

    /** Both tile heights, whole tiles, with and without loading C, one and two vectors, B in place and packed. */
    static Stream<Arguments> wholeTileCases() {
        List<Arguments> list = new ArrayList<>();
        for (int height : new int[] {TALL, SHORT}) {
            for (boolean load : new boolean[] {false, true}) {
                for (int vectors = 1; vectors <= 2; vectors++) {
                    for (boolean packedB : new boolean[] {false, true}) {
                        list.add(Arguments.of(height, load, vectors, packedB));
                    }
                }
            }
        }
        return list.stream();
    }

    /** The JDK's names of x86 processors, 32 and 64 bits, and no others, choose the short tiles. */
    @Test
    void x86IsRecognisedByItsJdkNames() {
        assertTrue(VectorGemmKernels.isX86("amd64"));
        assertTrue(VectorGemmKernels.isX86("x86_64"));
        assertTrue(VectorGemmKernels.isX86("x86"));
        assertTrue(VectorGemmKernels.isX86("i686"));
        assertFalse(VectorGemmKernels.isX86("aarch64"));
        assertFalse(VectorGemmKernels.isX86("riscv64"));
        assertFalse(VectorGemmKernels.isX86("ppc64le"));
    }

    private static float[] gaussian(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
