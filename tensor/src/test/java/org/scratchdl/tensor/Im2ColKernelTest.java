package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector {@link Im2ColKernel} writes exactly what the scalar one writes, and nothing around
 * the sample's rows, also for the last sample of x and kernels wider than a vector.
 */
class Im2ColKernelTest {
    private static final float GUARD = -777f;

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        assertInstanceOf(VectorIm2ColKernel.class, Im2ColKernel.fastest());
    }

    /**
     * Many calls, so that the JIT compiles the vector kernel: it must keep writing the same values,
     * with rows packed and with one float between rows (the gap Convolution fills with ones).
     */
    @Test
    void sameValuesOnceCompiled() {
        ConvGeometry g = new ConvGeometry(5, 5, 1, 0);
        float[] x = new float[2 * 12 * 12];
        Random random = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        Im2ColKernel vector = new VectorIm2ColKernel();
        for (int rowStride : new int[] {25, 26}) {
            float[] expected = new float[64 * rowStride];
            ScalarIm2ColKernel.INSTANCE.im2colSample(x, 144, 1, 12, 12, g, 0f, expected, 0, rowStride);
            float[] got = new float[64 * rowStride];
            for (int call = 0; call < 30_000; call++) {
                vector.im2colSample(x, 144, 1, 12, 12, g, 0f, got, 0, rowStride);
                if (call % 1000 == 999) {
                    for (int r = 0; r < 64; r++) {
                        assertArrayEquals(Arrays.copyOfRange(expected, r * rowStride, r * rowStride + 25),
                                Arrays.copyOfRange(got, r * rowStride, r * rowStride + 25),
                                "row stride " + rowStride + ", call " + call + ", row " + r);
                    }
                }
            }
        }
    }

    @Test
    void aRowStrideShorterThanARowIsRejected() {
        ConvGeometry g = new ConvGeometry(3, 3, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.im2colSample(new float[16], 0, 1, 4, 4, g, 0f, new float[64], 0, 8));
        assertTrue(e.getMessage().contains("row stride 8") && e.getMessage().contains("9"), e.getMessage());
    }

    @ParameterizedTest(name = "C={0} {1}×{2} kernel {3}×{4} stride {5} pad {6}")
    @CsvSource({"1, 28, 28, 5, 5, 1, 0", "1, 28, 28, 5, 5, 1, 2", "3, 9, 11, 3, 3, 2, 1", "2, 6, 6, 1, 1, 1, 0",
        "1, 40, 40, 17, 17, 1, 0", "2, 12, 20, 3, 5, 1, 1", "1, 5, 5, 5, 5, 1, 0", "4, 7, 9, 2, 2, 2, 0"})
    void sameValuesAsTheScalarKernel(int c, int h, int w, int kh, int kw, int stride, int pad) {
        ConvGeometry g = new ConvGeometry(kh, kw, stride, pad);
        int samples = 3;
        int sampleSize = c * h * w;
        int rows = g.outH(h) * g.outW(w);
        int rowLength = c * kh * kw;
        float[] x = new float[samples * sampleSize];
        Random random = new Random(h * 31L + w);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int n = 0; n < samples; n++) {
            // rows packed, and rows with a gap of 1 (as Convolution uses) or 3 floats (left undefined)
            for (int rowStride : new int[] {rowLength, rowLength + 1, rowLength + 3}) {
                int span = (rows - 1) * rowStride + rowLength;
                float[] expected = new float[span + 40];
                float[] got = new float[span + 40];
                Arrays.fill(expected, GUARD);
                Arrays.fill(got, GUARD);
                ScalarIm2ColKernel.INSTANCE.im2colSample(x, n * sampleSize, c, h, w, g, 0.5f, expected, 20, rowStride);
                new VectorIm2ColKernel().im2colSample(x, n * sampleSize, c, h, w, g, 0.5f, got, 20, rowStride);
                for (int r = 0; r < rows; r++) {
                    int from = 20 + r * rowStride;
                    assertArrayEquals(Arrays.copyOfRange(expected, from, from + rowLength),
                            Arrays.copyOfRange(got, from, from + rowLength), "sample " + n + ", row " + r);
                }
                assertArrayEquals(new float[] {GUARD, GUARD}, new float[] {got[19], got[20 + span]},
                        "before the first row, after the last");
            }
        }
    }
}
