package org.scratchdl.examples.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.layers.GradientCheck;
import org.scratchdl.layers.LayerSpec;
import org.scratchdl.tensor.Tensor;

/** The Swish layer alone: values, gradients and the {@link org.scratchdl.layers.Layer} contract. */
class SwishTest {
    private static final float TOLERANCE = 2e-6f;

    static Stream<Arguments> shapesAndBetas() {
        return Stream.of(
                Arguments.of(new int[] {7}, 1f),
                Arguments.of(new int[] {3, 5}, 0.5f),
                Arguments.of(new int[] {2, 3, 4, 4}, 1f),
                Arguments.of(new int[] {2, 3, 4, 4}, 2.5f),
                Arguments.of(new int[] {4, 6}, -1.25f),
                Arguments.of(new int[] {2, 2, 3}, 0f),
                Arguments.of(new int[] {1, 2, 3, 2, 2}, 0.1f));
    }

    @ParameterizedTest(name = "shape {0}, beta {1}")
    @MethodSource("shapesAndBetas")
    void analyticGradientsMatchCentralDifferences(int[] shape, float beta) {
        Swish swish = new Swish(beta);
        GradientCheck.Result result = GradientCheck.assertGradientsMatch(swish, Tensor.randn(new Random(7), 2f, shape));
        // x and beta were both compared
        int size = Tensor.zeros(shape).size();
        assertEquals(size + 1, result.checked(), result.report());
    }

    @Test
    void forwardMatchesHandComputedValues() {
        // y = x·σ(βx), computed in double by hand
        assertForward(1f, new float[] {-2f, -0.5f, 0f, 1f, 3f},
                new float[] {-0.23840584f, -0.18877033f, 0f, 0.73105858f, 2.85772238f});
        assertForward(2f, new float[] {-1f, 0.5f}, new float[] {-0.11920292f, 0.36552929f});
        assertForward(-1f, new float[] {2f}, new float[] {0.23840584f});
        assertForward(0f, new float[] {4f, -3f}, new float[] {2f, -1.5f});
        // far out in both tails: no overflow, no NaN
        assertForward(1f, new float[] {100f, -100f, 1e30f, -1e30f}, new float[] {100f, 0f, 1e30f, 0f});
    }

    @Test
    void backwardMatchesHandComputedDerivatives() {
        Swish swish = new Swish(1f);
        swish.forward(Tensor.of(new float[] {-2f, -0.5f, 0f, 1f, 3f}, 5), true);
        Tensor dx = swish.backward(Tensor.of(new float[] {1f, 1f, 1f, 1f, 2f}, 5));
        // dy/dx = s + βx·s(1−s)
        assertArrayEquals(new float[] {-0.09078425f, 0.26003881f, 0.5f, 0.92767051f, 2 * 1.08810411f}, dx.data(),
                TOLERANCE);
        // dL/dβ = Σ dout·x²·s(1−s)
        float expected = 0.41997434f + 0.05875093f + 0f + 0.19661193f + 2 * 0.40658994f;
        assertEquals(expected, swish.beta().grad().data()[0], TOLERANCE);

        Swish zero = new Swish(0f);
        zero.forward(Tensor.of(new float[] {4f}, 1), true);
        assertArrayEquals(new float[] {0.5f}, zero.backward(Tensor.of(new float[] {1f}, 1)).data(), TOLERANCE);
        assertEquals(4f, zero.beta().grad().data()[0], TOLERANCE);
    }

    @Test
    void backwardLeavesDoutAloneAndOverwritesTheGradient() {
        Swish swish = new Swish(1.5f);
        Tensor x = Tensor.randn(new Random(3), 1f, 4, 5);
        Tensor dout = Tensor.randn(new Random(4), 1f, 4, 5);
        Tensor doutBefore = dout.copy();
        swish.forward(x, true);
        Tensor dx1 = swish.backward(dout).copy();
        float grad1 = swish.beta().grad().data()[0];
        assertArrayEquals(doutBefore.data(), dout.data());
        assertArrayEquals(dx1.shape(), x.shape());

        // a second backward writes the same gradient again instead of adding to it
        Tensor dx2 = swish.backward(dout);
        assertEquals(grad1, swish.beta().grad().data()[0]);
        assertArrayEquals(dx1.data(), dx2.data());
        assertTrue(grad1 != 0f);
    }

    @Test
    void inferenceForwardCachesNothing() {
        Swish fresh = new Swish();
        Tensor y = fresh.forward(Tensor.randn(new Random(1), 1f, 2, 3), false);
        assertArrayEquals(new int[] {2, 3}, y.shape());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh.backward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("before a training forward"), e.getMessage());

        // an inference forward between a training forward and its backward changes nothing
        Swish swish = new Swish(0.8f);
        Tensor x = Tensor.randn(new Random(2), 1f, 3, 4);
        Tensor dout = Tensor.randn(new Random(5), 1f, 3, 4);
        swish.forward(x, true);
        Tensor expected = swish.backward(dout).copy();
        float expectedGrad = swish.beta().grad().data()[0];

        Swish other = new Swish(0.8f);
        Tensor trainingOut = other.forward(x, true);
        Tensor inferenceOut = other.forward(Tensor.randn(new Random(6), 1f, 7, 2), false);
        assertNotSame(trainingOut, inferenceOut);
        assertArrayEquals(new int[] {7, 2}, inferenceOut.shape());
        assertArrayEquals(expected.data(), other.backward(dout).data());
        assertEquals(expectedGrad, other.beta().grad().data()[0]);
    }

    @Test
    void trainingForwardCopiesItsInput() {
        Tensor x = Tensor.randn(new Random(8), 1f, 2, 5);
        Tensor dout = Tensor.full(1f, 2, 5);
        Swish a = new Swish();
        a.forward(x.copy(), true);
        Tensor expected = a.backward(dout).copy();

        Swish b = new Swish();
        Tensor input = x.copy();
        b.forward(input, true);
        input.fillZero(); // e.g. the previous layer reusing its output buffer
        assertArrayEquals(expected.data(), b.backward(dout).data());
    }

    @Test
    void rejectsAMismatchedDout() {
        Swish swish = new Swish();
        swish.forward(Tensor.zeros(2, 3), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> swish.backward(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
    }

    @Test
    void specRoundTripsTheInitialBeta() {
        Swish swish = new Swish(0.75f);
        swish.beta().value().data()[0] = 3f; // trained since; the spec describes the construction
        LayerSpec spec = swish.spec();
        assertEquals(Swish.TYPE, spec.type());
        assertEquals(Map.of(Swish.INITIAL_BETA, 0.75f), spec.config());

        Swish rebuilt = Swish.fromSpec(spec);
        assertEquals(0.75f, rebuilt.beta().value().data()[0]);
        assertEquals(spec, rebuilt.spec());
        // as a model file gives it back: a JSON number read as a double
        assertEquals(0.75f, Swish.fromSpec(new LayerSpec("Swish", Map.of("initialBeta", 0.75))).beta().value().data()[0]);
        assertEquals(List.of(swish.beta()), swish.parameters());
        assertArrayEquals(new int[] {1}, swish.beta().value().shape());
        assertEquals("beta", swish.beta().name());
        assertArrayEquals(new int[] {5, 6, 7}, swish.outputShape(new int[] {5, 6, 7}));
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new Swish(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Swish(Float.POSITIVE_INFINITY));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Swish.fromSpec(LayerSpec.of("Swish")));
        assertTrue(missing.getMessage().contains("initialBeta"), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Swish.fromSpec(new LayerSpec("Swish", Map.of("initialBeta", "one"))));
    }

    private static void assertForward(float beta, float[] x, float[] expected) {
        Swish swish = new Swish(beta);
        Tensor input = Tensor.of(x.clone(), x.length);
        assertArrayEquals(expected, swish.forward(input, false).data(), TOLERANCE, "beta " + beta);
        assertArrayEquals(expected, swish.forward(input, true).data(), TOLERANCE, "beta " + beta);
        assertArrayEquals(x, input.data(), "forward must not modify x");
    }
}
