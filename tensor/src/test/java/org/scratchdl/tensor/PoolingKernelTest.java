package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both {@link PoolingKernel}s against a direct reading of the definition (max of each 2×2 window;
 * the gradient to the window's first maximum in row-major order, 0 elsewhere; rectified, the
 * maximum's ReLU and ReLU's gradient rule first), bit for bit, on sizes below, at and around the
 * vector kernel's step, odd sizes, and data full of ties, ±0 and NaN.
 */
class PoolingKernelTest {
    private static final float GARBAGE = 777.25f;
    private static final float NAN_A = Float.intBitsToFloat(0x7fc00001);
    private static final float NAN_B = Float.intBitsToFloat(0xffc00000);

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        assertInstanceOf(VectorPoolingKernel.class, PoolingKernel.fastest());
    }

    @ParameterizedTest(name = "{0} planes of {1}×{2}, rectify {3}")
    @CsvSource({"1, 2, 2, false", "3, 5, 7, false", "2, 24, 24, false", "4, 28, 28, false", "2, 8, 16, false",
        "2, 9, 17, false", "3, 6, 30, false", "2, 4, 32, false", "1, 3, 33, false", "2, 2, 34, false",
        "1, 12, 12, false", "1, 2, 66, false", "5, 11, 1, false", "2, 1, 9, false",
        "1, 2, 2, true", "3, 5, 7, true", "2, 24, 24, true", "4, 28, 28, true", "2, 8, 16, true", "2, 9, 17, true",
        "3, 6, 30, true", "2, 4, 32, true", "1, 3, 33, true", "2, 2, 34, true", "1, 12, 12, true", "1, 2, 66, true",
        "5, 11, 1, true", "2, 1, 9, true"})
    void bothKernelsFollowTheDefinition(int planes, int h, int w, boolean rectify) {
        Random random = new Random(31L * h + w);
        int oh = h / 2;
        int ow = w / 2;
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            // few distinct values, so that windows hold ties, both zeros, and rarely a NaN (two payloads)
            int r = random.nextInt(40);
            x[i] = r == 0 ? NAN_A : r == 1 ? NAN_B : r % 7 == 0 ? -0f : r % 7 == 1 ? 0f : (r % 7 - 4) * 0.5f;
        }
        float[] dout = new float[planes * oh * ow];
        for (int i = 0; i < dout.length; i++) {
            dout[i] = random.nextInt(5) == 0 ? -0f : (float) random.nextGaussian();
        }
        float[] expectedOut = new float[dout.length];
        float[] expectedDx = new float[x.length];
        for (int q = 0; q < planes; q++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int[] window = new int[4];
                    float max = Float.NEGATIVE_INFINITY;
                    for (int e = 0; e < 4; e++) {
                        window[e] = q * h * w + (2 * y + e / 2) * w + 2 * xo + e % 2;
                        max = Math.max(max, x[window[e]]);
                    }
                    int o = (q * oh + y) * ow + xo;
                    // rectified: ReLU of the maximum, and ReLU's backward (dout where its output is not +0)
                    expectedOut[o] = rectify ? Math.max(max, 0f) : max;
                    boolean passes = !rectify || Float.floatToRawIntBits(expectedOut[o]) != 0;
                    int first = 0;
                    while (first < 3 && Float.floatToRawIntBits(x[window[first]]) != Float.floatToRawIntBits(max)
                            && !(Float.isNaN(x[window[first]]) && Float.isNaN(max))) {
                        first++;
                    }
                    expectedDx[window[first]] = 0f + (passes ? dout[o] : 0f);
                }
            }
        }
        for (PoolingKernel kernel : new PoolingKernel[] {ScalarPoolingKernel.INSTANCE, new VectorPoolingKernel()}) {
            String name = kernel.getClass().getSimpleName();
            float[] out = new float[expectedOut.length];
            java.util.Arrays.fill(out, GARBAGE);
            // two calls over two ranges of planes, as two threads would do
            kernel.forward(x, out, h, w, 0, planes / 2, rectify);
            kernel.forward(x, out, h, w, planes / 2, planes, rectify);
            assertArrayEquals(FloatBits.of(canonicalNaN(expectedOut)), FloatBits.of(canonicalNaN(out.clone())), name + " forward");
            System.arraycopy(expectedOut, 0, out, 0, out.length);
            float[] dx = new float[x.length];
            java.util.Arrays.fill(dx, GARBAGE);
            kernel.backward(x, out, dout, dx, h, w, 0, planes / 2, rectify);
            kernel.backward(x, out, dout, dx, h, w, planes / 2, planes, rectify);
            assertArrayEquals(FloatBits.of(expectedDx), FloatBits.of(dx), name + " backward");
        }
    }

    @Test
    void leavesPlanesOutsideTheRangeAlone() {
        float[] x = new float[3 * 4 * 32];
        float[] out = new float[3 * 2 * 16];
        float[] dout = new float[out.length];
        java.util.Arrays.fill(dout, 1f);
        float[] dx = new float[x.length];
        java.util.Arrays.fill(out, GARBAGE);
        java.util.Arrays.fill(dx, GARBAGE);
        new VectorPoolingKernel().forward(x, out, 4, 32, 1, 2, false);
        new VectorPoolingKernel().backward(x, out, dout, dx, 4, 32, 1, 2, false);
        for (int i = 0; i < out.length; i++) {
            assertEquals(i / 32 == 1 ? 0f : GARBAGE, out[i], "out[" + i + "]");
        }
        for (int i = 0; i < dx.length; i++) {
            // all zeros: the top-left element of each window (even row, even column) is its first maximum
            float inside = ((i % 128) / 32) % 2 == 0 && i % 2 == 0 ? 1f : 0f;
            assertEquals(i / 128 == 1 ? inside : GARBAGE, dx[i], "dx[" + i + "]");
        }
    }

    /**
     * Many calls on one small problem, so that the JIT compiles the kernels (the Vector API runs
     * differently interpreted and compiled): the vector kernel must keep giving the scalar bits.
     */
    @Test
    void sameBitsOnceCompiled() {
        Random random = new Random(8);
        int planes = 3;
        int h = 6;
        int w = 34;
        float[] x = new float[planes * h * w];
        for (int i = 0; i < x.length; i++) {
            // ties, both zeros (windows whose maximum is −0 among them) and now and then a NaN
            int v = random.nextInt(8);
            x[i] = v == 0 ? Float.NaN : v < 3 ? -0f : v * 0.25f - 1f;
        }
        float[] dout = new float[planes * (h / 2) * (w / 2)];
        for (int i = 0; i < dout.length; i++) {
            dout[i] = (float) random.nextGaussian();
        }
        PoolingKernel vector = new VectorPoolingKernel();
        float[] expectedOut = new float[dout.length];
        float[] expectedDx = new float[x.length];
        ScalarPoolingKernel.INSTANCE.forward(x, expectedOut, h, w, 0, planes, false);
        ScalarPoolingKernel.INSTANCE.backward(x, expectedOut, dout, expectedDx, h, w, 0, planes, false);
        float[] expectedRectified = new float[dout.length];
        float[] expectedRectifiedDx = new float[x.length];
        ScalarPoolingKernel.INSTANCE.forward(x, expectedRectified, h, w, 0, planes, true);
        ScalarPoolingKernel.INSTANCE.backward(x, expectedRectified, dout, expectedRectifiedDx, h, w, 0, planes, true);
        float[] out = new float[dout.length];
        float[] dx = new float[x.length];
        float[] rectified = new float[dout.length];
        float[] rectifiedDx = new float[x.length];
        for (int call = 0; call < 30_000; call++) {
            vector.forward(x, out, h, w, 0, planes, false);
            vector.backward(x, out, dout, dx, h, w, 0, planes, false);
            vector.forward(x, rectified, h, w, 0, planes, true);
            vector.backward(x, rectified, dout, rectifiedDx, h, w, 0, planes, true);
            if (call % 1000 == 999) {
                assertArrayEquals(FloatBits.of(expectedOut), FloatBits.of(out), "forward, call " + call);
                assertArrayEquals(FloatBits.of(expectedDx), FloatBits.of(dx), "backward, call " + call);
                assertArrayEquals(FloatBits.of(expectedRectified), FloatBits.of(rectified), "rectified, call " + call);
                assertArrayEquals(FloatBits.of(expectedRectifiedDx), FloatBits.of(rectifiedDx),
                        "rectified backward, call " + call);
            }
        }
    }

    /** Every NaN replaced by the canonical one: which NaN a window yields may differ. */
    private static float[] canonicalNaN(float[] a) {
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i])) {
                a[i] = Float.NaN;
            }
        }
        return a;
    }
}
