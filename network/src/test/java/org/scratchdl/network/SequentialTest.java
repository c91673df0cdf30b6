package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.GradientCheck;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.tensor.Tensor;

class SequentialTest {

    private static SimpleConvNet.Config tiny() {
        return new SimpleConvNet.Config(2, 9, 8, 3, 3, 1, 1, 6, 4, 0.3f);
    }

    /** The whole SimpleConvNet against central differences, on a tiny input. */
    @Test
    void simpleConvNetGradientCheck() {
        Random r = new Random(4);
        Sequential net = SimpleConvNet.create(tiny(), r);
        GradientCheck.Result result = GradientCheck.assertGradientsMatch(net, Tensor.randn(r, 1f, 2, 2, 9, 8),
                new GradientCheck.Options(1e-3, 1e-2, 1e-3, 200, 42));
        assertTrue(result.checked() > 200, "checked " + result.checked());
    }

    @Test
    void bookArchitectureShapesAndParameterCount() {
        Sequential net = SimpleConvNet.create(1);
        assertArrayEquals(new int[] {7, 10}, net.outputShape(new int[] {7, 1, 28, 28}));
        // conv 30·25+30, affine 4320·100+100, affine 100·10+10
        assertEquals(780 + 432100 + 1010, net.parameterCount());
        assertEquals(java.util.List.of("0.weight", "0.bias", "3.weight", "3.bias", "5.weight", "5.bias"),
                java.util.List.copyOf(net.namedParameters().keySet()));
        String summary = net.summary(new int[] {1, 1, 28, 28});
        assertTrue(summary.contains("(N, 30, 24, 24)") && summary.contains("433,890"), summary);
        assertTrue(summary.endsWith(String.format("Total params: 433,890%n"
                + "1 ReLU runs inside 2 Pooling (same result, max(0, ·) of each pooled value)%n")), summary);
        String plain = Sequential.of(new ReLU(), new Affine(Tensor.zeros(4, 2), Tensor.zeros(2))).summary(new int[] {1, 4});
        assertTrue(plain.endsWith(String.format("Total params: 10%n")), plain);
        // a stride-1 pooling keeps the list order, so the table says nothing more
        String strideOne = Sequential.of(new ReLU(), new Pooling(2, 2, 1, 0)).summary(new int[] {1, 1, 4, 4});
        assertTrue(strideOne.endsWith(String.format("Total params: 0%n")), strideOne);
    }

    @Test
    void weightsAreSeeded() {
        assertArrayEquals(SimpleConvNet.create(5).parameters().get(2).value().data(),
                SimpleConvNet.create(5).parameters().get(2).value().data());
    }

    @Test
    void errorsNameTheLayerIndexAndType() {
        Sequential net = SimpleConvNet.create(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(2, 1, 20, 20), false));
        assertTrue(e.getMessage().startsWith("layer 3 (Affine): expected 4320 input values per sample but got 1920"),
                e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Tensor.zeros(2, 3, 28, 28), false));
        assertTrue(c.getMessage().startsWith("layer 0 (Convolution)"), c.getMessage());
    }

    @Test
    void firstLayerSkipsInputGradient() {
        Sequential net = SimpleConvNet.create(tiny(), new Random(1));
        Tensor out = net.forward(Tensor.zeros(2, 2, 9, 8), true);
        assertNull(net.backward(Tensor.zeros(out.shape())));
    }

    @Test
    void predictMatchesOneForwardAndCoversPartialBatch() {
        Random r = new Random(2);
        Sequential net = SimpleConvNet.create(tiny(), r);
        Tensor x = Tensor.randn(r, 1f, 7, 2, 9, 8);
        assertArrayEquals(net.forward(x, false).data(), net.predict(x, 3).data());
    }
}
