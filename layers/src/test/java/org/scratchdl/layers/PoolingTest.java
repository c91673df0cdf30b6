package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scratchdl.tensor.Tensor;

class PoolingTest {

    /** The seed document's worked example (Saito 2016, §7.4.4), forward and backward, exact values. */
    @Test
    void seedWorkedExample() {
        Pooling pool = new Pooling(2, 2, 2, 0);
        Tensor out = pool.forward(Tensor.arange(2, 2, 4, 4), true);
        assertArrayEquals(new int[] {2, 2, 2, 2}, out.shape());
        assertArrayEquals(new float[] {5, 7, 13, 15, 21, 23, 29, 31, 37, 39, 45, 47, 53, 55, 61, 63}, out.data());

        Tensor dx = pool.backward(Tensor.arange(2, 2, 2, 2));
        assertArrayEquals(new int[] {2, 2, 4, 4}, dx.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 3}, plane(dx, 0, 0));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 4, 0, 5, 0, 0, 0, 0, 0, 6, 0, 7}, plane(dx, 0, 1));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 8, 0, 9, 0, 0, 0, 0, 0, 10, 0, 11}, plane(dx, 1, 0));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 12, 0, 13, 0, 0, 0, 0, 0, 14, 0, 15}, plane(dx, 1, 1));
    }

    /** The row maxima of the seed's (16, 4) matrix appear in (N, OH, OW, C) order before the transpose. */
    @Test
    void seedRowMaximaOrder() {
        Tensor out = new Pooling(2, 2, 2, 0).forward(Tensor.arange(2, 2, 4, 4), false);
        assertArrayEquals(new float[] {5, 21, 7, 23, 13, 29, 15, 31, 37, 53, 39, 55, 45, 61, 47, 63},
                out.transpose(0, 2, 3, 1).data());
    }

    /**
     * ReLU(maxpool(x)) by hand: windows with a negative or zero maximum give +0 and pass +0 back, the
     * others pass dout to their first maximum; a later inference call does not change backward.
     */
    @Test
    void rectifiedPoolingExactValues() {
        Tensor x = Tensor.of(new float[] {
            -1, -2, 3, 1,
            -3, -4, 2, 5,
            0, 0, -1, 2,
            -1, 0, 2, -5}, 1, 1, 4, 4);
        Pooling pool = new Pooling(2, 2, 2, 0);
        Tensor out = pool.forwardRectified(x, true);
        assertArrayEquals(new float[] {0, 5, 0, 2}, out.data());
        // an inference call in between, not rectified, must not turn the next backward into plain pooling's
        assertArrayEquals(new float[] {-1, 5, 0, 2}, pool.forward(x, false).data());
        Tensor dx = pool.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {
            0, 0, 0, 0,
            0, 0, 0, 2,
            0, 0, 0, 4,
            0, 0, 0, 0}, dx.data());
        // the same through the general loops (a 2×2 window with stride 2 and padding 1)
        Pooling padded = new Pooling(2, 2, 2, 1);
        assertArrayEquals(new float[] {0, 3, 1, 0, 2, 5, 0, 2, 0}, padded.forwardRectified(x, true).data());
        Tensor dxPadded = padded.backward(Tensor.full(1f, 1, 1, 3, 3));
        assertArrayEquals(new float[] {
            0, 0, 1, 1,
            0, 0, 1, 1,
            0, 0, 0, 0,
            0, 0, 1, 0}, dxPadded.data());
    }

    /** Analytic against numerical gradients of ReLU(maxpool(x)), on the kernel and the general loops. */
    @Test
    void rectifiedPoolingGradientCheck() {
        for (Pooling pool : new Pooling[] {new Pooling(2, 2, 2, 0), new Pooling(3, 3, 2, 1)}) {
            Layer rectified = new Layer() {
                @Override
                public Tensor forward(Tensor x, boolean training) {
                    return pool.forwardRectified(x, training);
                }

                @Override
                public Tensor backward(Tensor dout) {
                    return pool.backward(dout);
                }

                @Override
                public LayerSpec spec() {
                    return pool.spec();
                }
            };
            // distinct values away from 0 and from each other, so that no central difference crosses a kink
            float[] v = new float[2 * 3 * 6 * 6];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((i * 37) % v.length - v.length / 2) * 0.05f + 0.013f;
            }
            GradientCheck.assertGradientsMatch(rectified, Tensor.of(v, 2, 3, 6, 6));
        }
    }

    @Test
    void tieSendsGradientToFirstMaximumOnly() {
        Pooling pool = new Pooling(2, 2, 2, 0);
        pool.forward(Tensor.full(1f, 1, 1, 2, 2), true);
        Tensor dx = pool.backward(Tensor.full(3f, 1, 1, 1, 1));
        assertArrayEquals(new float[] {3, 0, 0, 0}, dx.data());
    }

    @Test
    void tieInAGeneralWindowSendsGradientToFirstMaximumOnly() {
        Pooling pool = new Pooling(3, 3, 3, 1);
        Tensor x = Tensor.full(-1f, 1, 1, 2, 2);
        x.set(2f, 0, 0, 0, 1);
        x.set(2f, 0, 0, 1, 0);
        pool.forward(x, true);
        Tensor dx = pool.backward(Tensor.full(3f, 1, 1, 1, 1));
        assertArrayEquals(new float[] {0, 3, 0, 0}, dx.data());
    }

    @Test
    void paddingNeverWins() {
        Tensor out = new Pooling(2, 2, 2, 1).forward(Tensor.full(-4f, 1, 1, 2, 2), false);
        assertArrayEquals(new float[] {-4, -4, -4, -4}, out.data());
    }

    @Test
    void overlappingWindowsAccumulate() {
        Pooling pool = new Pooling(2, 2, 1, 0);
        Tensor x = Tensor.of(new float[] {0, 0, 0, 0, 9, 0, 0, 0, 0}, 1, 1, 3, 3);
        pool.forward(x, true);
        Tensor dx = pool.backward(Tensor.full(1f, 1, 1, 2, 2));
        assertArrayEquals(new float[] {0, 0, 0, 0, 4, 0, 0, 0, 0}, dx.data());
    }

    @Test
    void rejectsConfigurationsWithoutOutputOrAllPaddingWindows() {
        assertThrows(IllegalArgumentException.class, () -> new Pooling(2, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Pooling(2, 2, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Pooling(5, 5, 1, 0).forward(Tensor.zeros(1, 1, 3, 3), false));
        assertTrue(e.getMessage().contains("Pooling") && e.getMessage().contains("(1, 1, 3, 3)"), e.getMessage());
    }

    /**
     * Two NaNs of different payloads in one window: which one the maximum holds may change when the
     * JIT recompiles {@code Math.max}, so the gradient must go to the first NaN whatever the
     * maximum's payload; checked over many calls, with a larger input now and then so that the loops
     * get compiled, which is when the payload changes. A 3×3 window with stride 3 (the general loop)
     * and a 2×2 window with stride 1 (the 2×2 loop).
     */
    @Test
    void gradientGoesToTheFirstNaNWhateverTheMaximumsPayload() {
        float nanA = Float.intBitsToFloat(0x7fc00000);
        float nanB = Float.intBitsToFloat(0x7fc00001);
        Tensor general = Tensor.of(new float[] {-1, 0, 0, nanA, nanB, 0, 0, 0, 0}, 1, 1, 3, 3);
        Tensor twoByTwo = Tensor.of(new float[] {-1, 0, nanB, nanA}, 1, 1, 2, 2);
        Pooling generalPool = new Pooling(3, 3, 3, 0);
        Pooling twoByTwoPool = new Pooling(2, 2, 1, 0);
        Tensor one = Tensor.full(1f, 1, 1, 1, 1);
        Tensor large = Tensor.zeros(16, 16, 30, 30);
        for (int call = 0; call < 10_000; call++) {
            if (call % 10 == 0) {
                generalPool.forward(large, false);
                twoByTwoPool.forward(large, false);
            }
            assertTrue(Float.isNaN(generalPool.forward(general, true).data()[0]));
            assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0, 0}, generalPool.backward(one).data(),
                    "3×3 window, call " + call);
            twoByTwoPool.forward(twoByTwo, true);
            assertArrayEquals(new float[] {0, 0, 1, 0}, twoByTwoPool.backward(one).data(), "2×2 window, call " + call);
        }
    }

    @Test
    void backwardBeforeForwardIsAnError() {
        assertThrows(IllegalStateException.class, () -> new Pooling(2, 2, 2, 0).backward(Tensor.zeros(1, 1, 1, 1)));
    }

    private static float[] plane(Tensor t, int n, int c) {
        int h = t.dim(2);
        int w = t.dim(3);
        float[] out = new float[h * w];
        System.arraycopy(t.data(), (n * t.dim(1) + c) * h * w, out, 0, h * w);
        return out;
    }
}
