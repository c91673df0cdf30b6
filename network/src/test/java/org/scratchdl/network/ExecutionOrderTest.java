package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.Layer;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/**
 * Sequential runs a ReLU inside a following max pooling; results must be those of the list order.
 */
class ExecutionOrderTest {
    private static final float NAN_A = Float.intBitsToFloat(0x7fc00001);
    private static final float NAN_B = Float.intBitsToFloat(0xffc00000);

    @Test
    void simpleConvNetRunsPoolingBeforeItsReLU() {
        assertEquals(List.of(0, 2, 1, 3, 4, 5), SimpleConvNet.create(1).executionOrder());
        assertEquals(List.of(List.of(0), List.of(2, 1), List.of(3), List.of(4), List.of(5)),
                SimpleConvNet.create(1).executionSteps());
    }

    @Test
    void aMovedReLURunsInsideThePoolingBeforeIt() {
        assertEquals(List.of(List.of(1, 0), List.of(2)),
                Sequential.of(new ReLU(), pool(), new ReLU()).executionSteps());
        assertEquals(List.of(List.of(0), List.of(2, 1)),
                Sequential.of(new ReLU(), new ReLU(), pool()).executionSteps());
        assertEquals(List.of(List.of(1, 0), List.of(3, 2)),
                Sequential.of(new ReLU(), pool(), new ReLU(), pool()).executionSteps());
        assertEquals(List.of(List.of(0), List.of(1), List.of(2), List.of(3)), Sequential.of(pool(), new ReLU(),
                Affine.initialized(4, 3, new Random(1), 0.1f), new ReLU()).executionSteps());
        assertEquals(List.of(List.of(0), List.of(1)),
                Sequential.of(new ReLU(), new Pooling(2, 2, 1, 1)).executionSteps());
        // a nested model is one step (it runs its own steps inside)
        Sequential inner = Sequential.of(new ReLU(), pool());
        assertEquals(List.of(List.of(0), List.of(1)), Sequential.of(new ReLU(), inner).executionSteps());
        assertEquals(List.of(List.of(1, 0)), inner.executionSteps());
    }

    /**
     * The model's steps, run by hand, against the layers of an identical model run one by one in
     * list order (conv, ReLU, pool, …), bit for bit: output, dL/dx and every parameter gradient.
     */
    @Test
    void stepsGiveTheResultsOfTheLayersInListOrder() {
        Random r = new Random(5);
        Sequential model = SimpleConvNet.create(2);
        Sequential same = SimpleConvNet.create(2);
        model.setInputGradientNeeded(true);
        for (Layer l : same.layers()) {
            l.setInputGradientNeeded(true);
        }
        Tensor x = Tensor.randn(r, 1f, 3, 1, 28, 28);
        Tensor expected = x;
        for (Layer l : same.layers()) {
            expected = l.forward(expected, true);
        }
        Tensor dout = Tensor.randn(r, 1f, expected.shape());
        Tensor expectedDx = dout;
        for (int i = same.layers().size() - 1; i >= 0; i--) {
            expectedDx = same.layers().get(i).backward(expectedDx);
        }
        Tensor h = x;
        for (int k = 0; k < model.executionSteps().size(); k++) {
            h = model.forwardStep(k, h, true);
        }
        assertSameBits(expected.data(), h.data(), "output");
        Tensor g = dout;
        for (int k = model.executionSteps().size() - 1; k >= 0; k--) {
            g = model.backwardStep(k, g);
        }
        assertSameBits(expectedDx.data(), g.data(), "dx");
        for (int i = 0; i < model.parameters().size(); i++) {
            assertSameBits(same.parameters().get(i).grad().data(), model.parameters().get(i).grad().data(),
                    "gradient " + i);
        }
    }

    @Test
    void onlyAReLUDirectlyBeforeAStridedPoolingMoves() {
        assertEquals(List.of(1, 0, 2), Sequential.of(new ReLU(), pool(), new ReLU()).executionOrder());
        assertEquals(List.of(0, 2, 1), Sequential.of(new ReLU(), new ReLU(), pool()).executionOrder());
        assertEquals(List.of(1, 0, 3, 2), Sequential.of(new ReLU(), pool(), new ReLU(), pool()).executionOrder());
        assertEquals(List.of(0, 1, 2, 3), Sequential.of(pool(), new ReLU(),
                Affine.initialized(4, 3, new Random(1), 0.1f), new ReLU()).executionOrder());
        // stride 1: the pooled tensor is not smaller, so nothing is gained by the swap
        assertEquals(List.of(0, 1), Sequential.of(new ReLU(), new Pooling(2, 2, 1, 1)).executionOrder());
    }

    private static Pooling pool() {
        return new Pooling(2, 2, 2, 0);
    }

    /**
     * Output and dL/dx of {@code Sequential(ReLU, Pooling)} against the two layers called one after
     * the other in list order, bit for bit, on inputs full of ties, zeros of both signs, negative
     * windows, infinities and NaNs of two payloads (also two different NaNs in one window), with
     * such values in dout too; for tiling, ragged (vector and scalar paths), overlapping and padded
     * windows; with one and two threads.
     */
    @ParameterizedTest
    @CsvSource({"2,2,2,0,24,24,1", "2,2,2,0,25,35,2", "2,2,2,0,7,9,1", "3,3,2,1,11,10,2", "3,2,3,1,9,8,1",
        "2,2,3,0,8,11,2",
        // 4,096 outputs or more, so that two threads split the planes
        "2,2,2,0,40,41,2", "3,3,2,1,40,40,2", "2,2,3,0,60,62,2", "2,2,2,1,38,40,2"})
    void sameResultsAsListOrder(int poolH, int poolW, int stride, int pad, int h, int w, int threads) {
        Random r = new Random(poolH * 1000L + w);
        Tensor x = Tensor.zeros(3, 4, h, w);
        float[] xd = x.data();
        float[] special = {0f, -0f, 1f, -1f, 0.5f, NAN_A, NAN_B, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
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
            g[i] = special[(i / 5) % special.length];
        }
        Tensor expectedDx = relu.backward(pool.backward(dout));
        assertWindowKindsOccur(expectedOut.data());

        Sequential model = Sequential.of(new ReLU(), new Pooling(poolH, poolW, stride, pad));
        model.setInputGradientNeeded(true);
        try (Parallelism parallelism = Parallelism.of(threads)) {
            model.useParallelism(parallelism);
            Tensor out = model.forward(x, true);
            Tensor dx = model.backward(dout);
            assertSameBits(expectedOut.data(), out.data(), "output");
            assertSameBits(expectedDx.data(), dx.data(), "dx");
            assertSameBits(expectedOut.data(), model.forward(x, false).data(), "inference output");
        }
    }

    /** The data must hold positive, zero and NaN maxima, or the comparison proves little. */
    private static void assertWindowKindsOccur(float[] pooled) {
        boolean positive = false;
        boolean zero = false;
        boolean nan = false;
        for (float v : pooled) {
            positive |= v > 0;
            zero |= v == 0;
            nan |= Float.isNaN(v);
        }
        assertTrue(positive && zero && nan, "positive " + positive + ", zero " + zero + ", NaN " + nan);
    }

    /** Equal bits, except that any NaN equals any NaN (which NaN a maximum holds may differ). */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) {
                continue;
            }
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + " but got " + actual[i]);
        }
    }

    /** A Sequential nested after the first layer must still pass dL/dx on to the layer before it. */
    @Test
    void nestedSequentialAfterTheFirstLayerComputesItsInputGradient() {
        Random r = new Random(3);
        Sequential inner = Sequential.of(Convolution.initialized(2, 2, 3, 1, 1, r, 0.5f), new ReLU());
        Convolution first = Convolution.initialized(1, 2, 3, 1, 1, r, 0.5f);
        Sequential model = Sequential.of(first, inner, pool());
        Tensor out = model.forward(Tensor.randn(r, 1f, 2, 1, 6, 6), true);
        model.backward(Tensor.randn(r, 1f, out.shape()));
        float[] dW = first.parameters().get(0).grad().data();
        assertTrue(Math.abs(dW[0]) + Math.abs(dW[dW.length - 1]) > 0, "first layer's weight gradient is zero");
    }
}
