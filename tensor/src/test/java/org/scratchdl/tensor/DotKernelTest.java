package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both {@link DotKernel}s: exactly the partial sums their contract describes (each lane one chain
 * of fused multiply-adds over its depths, accumulated over two calls), and a finished sum within
 * the float32 summation bound of a double-precision reference.
 */
class DotKernelTest {
    private static final double U = Math.ulp(1.0f) / 2;

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        assertInstanceOf(VectorDotKernel.class, DotKernel.fastest());
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 1, 1", "1, 1, 40", "3, 5, 16", "2, 4, 17", "4, 6, 33", "30, 25, 576", "7, 11, 100", "5, 3, 0",
        "6, 10, 64", "1, 7, 200"})
    void partialSumsAreTheDocumentedChains(int m, int n, int k) {
        Random random = new Random(17L * m + 3L * n + k);
        int aOff = 2;
        int bOff = 5;
        float[][] as = {randomArray(random, aOff + m * k), randomArray(random, aOff + m * k)};
        float[][] bs = {randomArray(random, bOff + n * k), randomArray(random, bOff + n * k)};
        for (DotKernel kernel : new DotKernel[] {ScalarDotKernel.INSTANCE, new VectorDotKernel()}) {
            int lanes = kernel.lanes();
            float[] partials = new float[m * n * lanes];
            float[] expected = new float[m * n * lanes];
            double[] exact = new double[m * n];
            double[] magnitude = new double[m * n];
            for (int call = 0; call < 2; call++) {
                float[] a = as[call];
                float[] b = bs[call];
                kernel.accumulate(m, n, k, a, aOff, b, bOff, partials);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        for (int p = 0; p < k; p++) {
                            float x = a[aOff + i * k + p];
                            float y = b[bOff + j * k + p];
                            int at = (i * n + j) * lanes + p % lanes;
                            expected[at] = Math.fma(x, y, expected[at]);
                            exact[i * n + j] += (double) x * y;
                            magnitude[i * n + j] += Math.abs((double) x * y);
                        }
                    }
                }
            }
            String name = kernel.getClass().getSimpleName();
            assertArrayEquals(expected, partials, name + " partial sums");
            float[] c = new float[m * n + 1];
            c[m * n] = 99f;
            kernel.finish(m * n, partials, c, 0);
            assertEquals(99f, c[m * n], name + " wrote past C");
            for (int e = 0; e < m * n; e++) {
                double tolerance = (2 * k + lanes + 2) * U * magnitude[e] + Float.MIN_NORMAL;
                assertEquals(exact[e], c[e], tolerance, name + " C[" + e + "]");
            }
        }
    }

    @ParameterizedTest(name = "m={0} k={1}")
    @CsvSource({"1, 1", "3, 16", "2, 17", "30, 576", "4, 40", "2, 0"})
    void rowSumsAreTheDocumentedChains(int m, int k) {
        Random random = new Random(5L * m + k);
        int aOff = 3;
        float[] a = randomArray(random, aOff + m * k);
        for (DotKernel kernel : new DotKernel[] {ScalarDotKernel.INSTANCE, new VectorDotKernel()}) {
            int lanes = kernel.lanes();
            float[] partials = new float[m * lanes];
            float[] expected = new float[m * lanes];
            for (int call = 0; call < 2; call++) {
                kernel.accumulateSums(m, k, a, aOff, partials);
                for (int i = 0; i < m; i++) {
                    for (int p = 0; p < k; p++) {
                        expected[i * lanes + p % lanes] += a[aOff + i * k + p];
                    }
                }
            }
            assertArrayEquals(expected, partials, kernel.getClass().getSimpleName());
        }
    }

    private static float[] randomArray(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
