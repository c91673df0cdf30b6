package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.tensor.Tensor;

/** Sequential runs ReLU after a following max pooling; results must be those of the list order. */
class ExecutionOrderTest {

    @Test
    void simpleConvNetRunsPoolingBeforeItsReLU() {
        assertEquals(List.of(0, 2, 1, 3, 4, 5), SimpleConvNet.create(1).executionOrder());
    }

    @Test
    void onlyAReLUDirectlyBeforePoolingMoves() {
        Pooling pool = new Pooling(2, 2, 2, 0);
        assertEquals(List.of(1, 0, 2), Sequential.of(new ReLU(), pool, new ReLU()).executionOrder());
        assertEquals(List.of(0, 2, 1), Sequential.of(new ReLU(), new ReLU(), pool).executionOrder());
        assertEquals(List.of(1, 0, 3, 2), Sequential.of(new ReLU(), pool, new ReLU(), pool).executionOrder());
        assertEquals(List.of(0, 1, 2, 3), Sequential.of(pool, new ReLU(),
                Affine.initialized(4, 3, new Random(1), 0.1f), new ReLU()).executionOrder());
    }

    /**
     * Output and dL/dx of {@code Sequential(ReLU, Pooling)} against the two layers called one after
     * the other in list order, bit for bit, on inputs full of ties, zeros of both signs, negative
     * windows and NaN, for tiling, overlapping, padded and ragged windows.
     */
    @ParameterizedTest
    @CsvSource({"2,2,2,0,24,24", "2,2,2,0,7,9", "3,3,2,1,11,10", "2,2,1,0,6,5", "3,2,3,1,9,8"})
    void sameResultsAsListOrder(int poolH, int poolW, int stride, int pad, int h, int w) {
        Random r = new Random(poolH * 1000 + w);
        Tensor x = Tensor.zeros(3, 4, h, w);
        float[] xd = x.data();
        float[] special = {0f, -0f, 1f, -1f, 0.5f, Float.NaN};
        for (int i = 0; i < xd.length; i++) {
            // coarse values make ties; every fourth plane is all negative
            xd[i] = r.nextInt(5) == 0 ? special[r.nextInt(special.length)] : (r.nextInt(7) - 3) * 0.25f;
            if ((i / (h * w)) % 4 == 3) {
                xd[i] = -Math.abs(xd[i]) - 0.25f;
            }
        }
        ReLU relu = new ReLU();
        Pooling pool = new Pooling(poolH, poolW, stride, pad);
        Tensor expectedOut = pool.forward(relu.forward(x, true), true);
        Tensor dout = Tensor.randn(r, 1f, expectedOut.shape());
        float[] g = dout.data();
        for (int i = 0; i < g.length; i += 5) {
            g[i] = i % 2 == 0 ? -0f : 0f;
        }
        Tensor expectedDx = relu.backward(pool.backward(dout));

        Sequential model = Sequential.of(new ReLU(), new Pooling(poolH, poolW, stride, pad));
        model.setInputGradientNeeded(true);
        Tensor out = model.forward(x, true);
        Tensor dx = model.backward(dout);
        assertSameBits(expectedOut.data(), out.data(), "output");
        assertSameBits(expectedDx.data(), dx.data(), "dx");
        assertSameBits(expectedOut.data(), model.forward(x, false).data(), "inference output");
    }

    /** Equal bits, except that any NaN equals any NaN (the payload of a NaN maximum may differ). */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        int nans = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) {
                nans++;
                continue;
            }
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + " but got " + actual[i]);
        }
        assertTrue(nans < expected.length, what + " is all NaN");
    }
}
