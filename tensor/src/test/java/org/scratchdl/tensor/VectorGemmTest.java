package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VectorGemm} against a double-precision triple loop and against {@link EjmlGemm}, on all
 * four transpose combinations, with and without accumulation, at offsets inside larger arrays,
 * on odd sizes and on scaled-down SimpleConvNet shapes, with 1, 2 and 3 threads.
 */
class VectorGemmTest {
    /** Unit roundoff of float32. */
    private static final double U = Math.ulp(1.0f) / 2;
    /** Value written around C; it must survive every call. */
    private static final float GUARD = -12345.5f;

    private static final VectorGemm KERNEL = new VectorGemm();
    private static Parallelism two;
    private static Parallelism three;

    @BeforeAll
    static void startThreads() {
        two = Parallelism.of(2);
        three = Parallelism.of(3);
    }

    @AfterAll
    static void stopThreads() {
        two.close();
        three.close();
    }

    private static Parallelism threads(int count) {
        return switch (count) {
            case 1 -> Parallelism.sequential();
            case 2 -> two;
            case 3 -> three;
            default -> throw new IllegalArgumentException("no pool of " + count);
        };
    }

    /** m, n, k: odd and edge sizes, panel widths around 1, 2 and 3 vectors, several k blocks, and
     *  scaled-down SimpleConvNet shapes that exercise the row, column and depth splits. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 3, 7}, {3, 7, 17}, {7, 1, 33}, {17, 33, 3}, {33, 17, 1}, {1, 33, 1}, {13, 16, 5},
        {9, 31, 2}, {12, 32, 4}, {25, 47, 11}, {16, 48, 9}, {11, 49, 300}, {5, 65, 257}, {50, 100, 37},
        {5, 600, 300}, {100, 10, 100}, {100, 100, 10},
        {5760, 30, 25},    // conv forward, col·Wᵀ (batch 10)
        {30, 25, 5760},    // conv dW, doutᵀ·col: depth split
        {5760, 25, 30},    // conv dx, dout·W
        {100, 100, 432},   // affine forward, x·W
        {100, 432, 100},   // affine dx, dout·Wᵀ: column split
        {432, 100, 100},   // affine dW, xᵀ·dout: row split
    };

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (int threads = 1; threads <= 3; threads++) {
                    list.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, threads));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} threads={5}")
    @MethodSource("cases")
    void matchesDoubleReferenceAndEjml(int m, int n, int k, boolean transA, boolean transB, int threads) {
        Random random = new Random(31L * m + 7L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        int aOff = 3;
        int bOff = 5;
        int cOff = 7;
        float[] a = randomArray(random, aOff + m * k + 4);
        float[] b = randomArray(random, bOff + k * n + 4);
        float[] c0 = randomArray(random, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] c = guarded(c0, cOff);
            KERNEL.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, threads(threads));
            checkGuards(c, cOff, m * n);

            float[] ejml = guarded(c0, cOff);
            EjmlGemm.INSTANCE.gemm(transA, transB, m, n, k, a, aOff, b, bOff, ejml, cOff, accumulate,
                    Parallelism.sequential());

            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = accumulate ? c0[i * n + j] : 0;
                    double magnitude = accumulate ? Math.abs(c0[i * n + j]) : 0;
                    for (int p = 0; p < k; p++) {
                        double x = a[aOff + (transA ? p * m + i : i * k + p)];
                        double y = b[bOff + (transB ? j * k + p : p * n + j)];
                        exact += x * y;
                        magnitude += Math.abs(x * y);
                    }
                    // Recursive float32 summation of k+1 terms: |error| <= (k+1)·u·Σ|terms| (Higham, ch. 3).
                    double tolerance = (k + 2) * U * magnitude + Float.MIN_NORMAL;
                    float got = c[cOff + i * n + j];
                    if (Math.abs(got - exact) > tolerance) {
                        fail("C[" + i + "," + j + "] = " + got + ", expected " + exact + " ± " + tolerance
                                + " (accumulate=" + accumulate + ")");
                    }
                    float reference = ejml[cOff + i * n + j];
                    if (Math.abs(got - reference) > 2 * tolerance) {
                        fail("C[" + i + "," + j + "] = " + got + ", EJML gives " + reference
                                + " (accumulate=" + accumulate + ")");
                    }
                }
            }
        }
    }

    static Stream<Arguments> splitShapes() {
        return Stream.of(
                Arguments.of(30, 25, 5760, true, false),    // depth split
                Arguments.of(100, 432, 100, false, true),   // column split
                Arguments.of(432, 100, 100, true, false),   // row split
                Arguments.of(5760, 30, 25, false, true));   // row split
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("splitShapes")
    void sameBitsEveryRunForTheSameThreadCount(int m, int n, int k, boolean transA, boolean transB) {
        Random random = new Random(5);
        float[] a = randomArray(random, m * k);
        float[] b = randomArray(random, k * n);
        for (int threads = 1; threads <= 3; threads++) {
            float[] first = new float[m * n];
            KERNEL.gemm(transA, transB, m, n, k, a, 0, b, 0, first, 0, false, threads(threads));
            for (int run = 0; run < 4; run++) {
                float[] again = new float[m * n];
                KERNEL.gemm(transA, transB, m, n, k, a, 0, b, 0, again, 0, false, threads(threads));
                assertArrayEquals(first, again, "run " + run + " with " + threads + " threads");
            }
        }
    }

    static Stream<Arguments> rowAndColumnSplitShapes() {
        return Stream.of(
                Arguments.of(100, 432, 100, false, true),   // column split
                Arguments.of(432, 100, 100, true, false),   // row split
                Arguments.of(5760, 30, 25, false, true));   // row split
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("rowAndColumnSplitShapes")
    void rowAndColumnSplitsGiveTheBitsOfOneThread(int m, int n, int k, boolean transA, boolean transB) {
        Random random = new Random(6);
        float[] a = randomArray(random, m * k);
        float[] b = randomArray(random, k * n);
        float[] one = new float[m * n];
        KERNEL.gemm(transA, transB, m, n, k, a, 0, b, 0, one, 0, false, Parallelism.sequential());
        for (int threads = 2; threads <= 3; threads++) {
            GemmPlan plan = VectorGemm.plan(m, n, k, threads);
            assertTrue(plan.split() == GemmPlan.Split.ROWS || plan.split() == GemmPlan.Split.COLUMNS,
                    "expected a row or column split, got " + plan);
            float[] many = new float[m * n];
            KERNEL.gemm(transA, transB, m, n, k, a, 0, b, 0, many, 0, false, threads(threads));
            assertArrayEquals(one, many, threads + " threads, " + plan);
        }
    }

    /**
     * A row-major B is read in place and a transposed one is packed first; both must give every
     * element the same chain of fused multiply-adds, so the same bits, at every panel layout.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} threads={4}")
    @MethodSource("inPlaceShapes")
    void bInPlaceAndPackedGiveTheSameBits(int m, int n, int k, boolean transA, int threads) {
        Random random = new Random(9L * n + k);
        float[] a = randomArray(random, m * k);
        float[] b = randomArray(random, k * n);
        float[] bt = new float[n * k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bt[j * k + p] = b[p * n + j];
            }
        }
        float[] c0 = randomArray(random, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] inPlace = c0.clone();
            float[] packed = c0.clone();
            KERNEL.gemm(transA, false, m, n, k, a, 0, b, 0, inPlace, 0, accumulate, threads(threads));
            KERNEL.gemm(transA, true, m, n, k, a, 0, bt, 0, packed, 0, accumulate, threads(threads));
            assertArrayEquals(packed, inPlace, "accumulate=" + accumulate);
        }
    }

    /**
     * On one thread every element of C is one chain of fused multiply-adds over the depth in
     * order, from zero or from C's old value: the same bits as {@link Math#fma} in a plain loop.
     * The widths include narrow panels (under one vector, computed in a scratch tile), m spans
     * several row tiles, and k two depth blocks, so the tile is reloaded from C in between. With
     * m = 23 the row tiles are 10, 10 and 3 rows (6, 6, 6 and 5 with the six-row tiles): a
     * transposed A goes through the kernels for whole tiles of a transposed A, its last partial
     * tile through the same kernel on a zero-padded copy, a row-major A through the kernels for a
     * row-major A, each with one and two vectors, with and without accumulating. A larger m spans
     * three row blocks, the last one and its last tile partial.
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("fmaChainShapes")
    void everyElementIsOneFmaChainOverTheDepth(int m, int n, int k, boolean transA, boolean transB) {
        Random random = new Random(31L * n + k);
        float[] a = randomArray(random, m * k);
        float[] b = randomArray(random, k * n);
        float[] c0 = randomArray(random, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = accumulate ? c0[i * n + j] : 0f;
                    for (int p = 0; p < k; p++) {
                        float x = transA ? a[p * m + i] : a[i * k + p];
                        float y = transB ? b[j * k + p] : b[p * n + j];
                        s = Math.fma(x, y, s);
                    }
                    expected[i * n + j] = s;
                }
            }
            float[] c = c0.clone();
            KERNEL.gemm(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate, Parallelism.sequential());
            assertArrayEquals(expected, c, "accumulate=" + accumulate);
        }
    }

    static Stream<Arguments> fmaChainShapes() {
        List<Arguments> list = new ArrayList<>();
        int l = VectorGemm.lanes();
        for (int n : new int[] {1, l - 1, l, l + 1, 2 * l + 3, 25}) {
            for (int t = 0; t < 4; t++) {
                list.add(Arguments.of(23, n, 300, (t & 1) != 0, (t & 2) != 0));
            }
        }
        int rowBlock = VectorGemm.ROW_BLOCK_TILES * VectorGemmKernels.ROWS;
        for (int n : new int[] {2 * l + 3, 100}) {
            for (int t = 0; t < 4; t++) {
                list.add(Arguments.of(2 * rowBlock + VectorGemmKernels.ROWS + 1, n, 300, (t & 1) != 0, (t & 2) != 0));
            }
        }
        return list.stream();
    }

    static Stream<Arguments> inPlaceShapes() {
        List<Arguments> list = new ArrayList<>();
        int l = VectorGemm.lanes();
        int[] widths = {1, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 3 * l - 1, 3 * l, 4 * l + 3, 25, 100, 600};
        for (int n : widths) {
            for (int threads = 1; threads <= 3; threads++) {
                list.add(Arguments.of(23, n, 300, threads == 2, threads));
            }
        }
        return list.stream();
    }

    @Test
    void oneInstanceServesConcurrentCallers() throws InterruptedException {
        int callers = 4;
        int m = 200;
        int n = 40;
        int k = 300;
        float[][] a = new float[callers][];
        float[][] b = new float[callers][];
        float[][] expected = new float[callers][];
        Random random = new Random(8);
        for (int t = 0; t < callers; t++) {
            a[t] = randomArray(random, m * k);
            b[t] = randomArray(random, k * n);
            expected[t] = new float[m * n];
            KERNEL.gemm(false, false, m, n, k, a[t], 0, b[t], 0, expected[t], 0, false, Parallelism.sequential());
        }
        float[][] got = new float[callers][m * n];
        Thread[] threads = new Thread[callers];
        Throwable[] failures = new Throwable[callers];
        for (int t = 0; t < callers; t++) {
            int caller = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int run = 0; run < 5; run++) {
                        KERNEL.gemm(false, false, m, n, k, a[caller], 0, b[caller], 0, got[caller], 0, false,
                                caller % 2 == 0 ? Parallelism.sequential() : two);
                    }
                } catch (Throwable e) {
                    failures[caller] = e;
                }
            });
            threads[t].start();
        }
        for (int t = 0; t < callers; t++) {
            threads[t].join();
            assertEquals(null, failures[t], "caller " + t);
            assertArrayEquals(expected[t], got[t], "caller " + t);
        }
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        KERNEL.gemm(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, true, Parallelism.sequential());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c);
        KERNEL.gemm(false, false, 2, 3, 0, new float[0], 0, new float[0], 0, c, 0, false, Parallelism.sequential());
        assertArrayEquals(new float[6], c);
    }

    @Test
    void emptyOutputTouchesNothing() {
        float[] c = {9};
        KERNEL.gemm(false, false, 0, 1, 4, new float[0], 0, new float[4], 0, c, 0, false, Parallelism.sequential());
        KERNEL.gemm(true, true, 1, 0, 4, new float[4], 0, new float[0], 0, c, 0, false, Parallelism.sequential());
        assertEquals(9f, c[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"negative", "shortA", "shortB", "shortC", "offset", "overlap"})
    void badArgumentsAreRejected(String problem) {
        float[] a = new float[6];
        float[] b = new float[12];
        float[] c = new float[8];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            switch (problem) {
                case "negative" -> KERNEL.gemm(false, false, -1, 4, 3, a, 0, b, 0, c, 0, false,
                        Parallelism.sequential());
                case "shortA" -> KERNEL.gemm(false, false, 3, 4, 3, a, 0, b, 0, new float[12], 0, false,
                        Parallelism.sequential());
                case "shortB" -> KERNEL.gemm(false, false, 2, 4, 3, a, 0, b, 1, c, 0, false,
                        Parallelism.sequential());
                case "shortC" -> KERNEL.gemm(false, false, 2, 4, 3, a, 0, b, 0, c, 1, false,
                        Parallelism.sequential());
                case "offset" -> KERNEL.gemm(false, false, 2, 4, 3, a, -1, b, 0, c, 0, false,
                        Parallelism.sequential());
                case "overlap" -> KERNEL.gemm(false, false, 2, 2, 2, b, 0, a, 0, b, 2, false,
                        Parallelism.sequential());
                default -> throw new AssertionError(problem);
            }
        });
        assertTrue(e.getMessage().startsWith("gemm:"), e.getMessage());
    }

    @Test
    void matMulChecksArgumentsForEveryKernel() {
        assertThrows(IllegalArgumentException.class, () -> MatMul.gemm(false, false, 2, 2, 2, new float[3], 0,
                new float[4], 0, new float[4], 0, false, Parallelism.sequential()));
    }

    private static float[] randomArray(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** {@code values} at {@code offset} inside an array with {@link #GUARD} around it. */
    private static float[] guarded(float[] values, int offset) {
        float[] c = new float[offset + values.length + 5];
        java.util.Arrays.fill(c, GUARD);
        System.arraycopy(values, 0, c, offset, values.length);
        return c;
    }

    private static void checkGuards(float[] c, int offset, int size) {
        for (int i = 0; i < c.length; i++) {
            if ((i < offset || i >= offset + size) && c[i] != GUARD) {
                fail("wrote outside C at index " + i);
            }
        }
    }
}
