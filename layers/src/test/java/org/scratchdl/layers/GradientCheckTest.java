package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.tensor.Tensor;

/** Analytic gradients of every layer against central differences, swept over geometry. */
class GradientCheckTest {

    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of(Named.of("3x3 stride 1 pad 1", new int[] {3, 1, 1}), new int[] {2, 2, 5, 5}),
                Arguments.of(Named.of("5x5 stride 1 pad 0", new int[] {5, 1, 0}), new int[] {2, 1, 8, 8}),
                Arguments.of(Named.of("3x3 stride 2 pad 1", new int[] {3, 2, 1}), new int[] {1, 3, 6, 7}),
                Arguments.of(Named.of("2x2 stride 3 pad 0", new int[] {2, 3, 0}), new int[] {2, 2, 7, 5}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void convolution(int[] g, int[] xShape) {
        Random r = new Random(11);
        Convolution conv = Convolution.initialized(xShape[1], 3, g[0], g[1], g[2], r, 0.5f);
        conv.parameters().get(1).value().copyFrom(Tensor.randn(r, 0.1f, 3));
        GradientCheck.assertGradientsMatch(conv, Tensor.randn(r, 1f, xShape));
    }

    static Stream<Arguments> poolings() {
        return Stream.of(
                Arguments.of(Named.of("2x2 stride 2", new int[] {2, 2, 2, 0}), new int[] {2, 2, 4, 6}),
                Arguments.of(Named.of("3x3 stride 1 pad 1 (overlapping)", new int[] {3, 3, 1, 1}), new int[] {1, 2, 5, 5}),
                Arguments.of(Named.of("2x3 stride 2 pad 1", new int[] {2, 3, 2, 1}), new int[] {1, 1, 5, 7}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolings")
    void pooling(int[] g, int[] xShape) {
        GradientCheck.assertGradientsMatch(new Pooling(g[0], g[1], g[2], g[3]), distinctValues(xShape, 5));
    }

    @Test
    void relu() {
        GradientCheck.assertGradientsMatch(new ReLU(), distinctValues(new int[] {2, 3, 4, 4}, 6));
    }

    @Test
    void affineOnTwoAndFourDimensionalInput() {
        Random r = new Random(5);
        GradientCheck.assertGradientsMatch(Affine.initialized(6, 4, r, 0.5f), Tensor.randn(r, 1f, 3, 6));
        GradientCheck.assertGradientsMatch(Affine.initialized(18, 5, r, 0.5f), Tensor.randn(r, 1f, 2, 2, 3, 3));
    }

    @Test
    void softmaxWithLoss() {
        Random r = new Random(9);
        Tensor logits = Tensor.randn(r, 2f, 4, 5);
        int[] labels = {0, 4, 2, 2};
        SoftmaxWithLoss loss = new SoftmaxWithLoss();
        loss.forward(logits, labels);
        Tensor analytic = loss.backward().copy();
        double eps = 1e-2;
        for (int i = 0; i < logits.size(); i++) {
            float saved = logits.data()[i];
            logits.data()[i] = (float) (saved + eps);
            double plus = new SoftmaxWithLoss().forward(logits, labels);
            logits.data()[i] = (float) (saved - eps);
            double minus = new SoftmaxWithLoss().forward(logits, labels);
            logits.data()[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            double a = analytic.data()[i];
            assertTrue(Math.abs(a - numeric) <= 1e-3 + 1e-2 * Math.abs(numeric), "element " + i + ": " + a + " vs " + numeric);
        }
    }

    /** The check must be able to fail: a layer whose backward is off by 10 % in one place. */
    @Test
    void detectsAWrongGradient() {
        Layer broken = new Layer() {
            private final ReLU relu = new ReLU();

            @Override
            public Tensor forward(Tensor x, boolean training) {
                return relu.forward(x, training);
            }

            @Override
            public Tensor backward(Tensor dout) {
                Tensor dx = relu.backward(dout).copy();
                dx.data()[3] *= 1.1f;
                return dx;
            }

            @Override
            public LayerSpec spec() {
                return LayerSpec.of("Broken");
            }
        };
        Tensor x = Tensor.full(1f, 2, 4);
        GradientCheck.Result result = GradientCheck.check(broken, x);
        assertFalse(result.passed(), result.report());
        assertTrue(result.report().contains("x[3]"), result.report());
        AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.assertGradientsMatch(broken, x));
        assertTrue(e.getMessage().contains("worst element x[3]"), e.getMessage());
    }

    @Test
    void optionsNameTheValueTheyRefuse() {
        String[][] cases = {
            {"0", "0.01", "0.001", "1", "epsilon must be greater than 0, got 0.0"},
            {"NaN", "0.01", "0.001", "1", "epsilon must be greater than 0, got NaN"},
            {"0.01", "-1", "0.001", "1", "tolerances must be at least 0, got relative -1.0 and absolute 0.001"},
            {"0.01", "0.01", "NaN", "1", "tolerances must be at least 0, got relative 0.01 and absolute NaN"},
            {"0.01", "0.01", "0.001", "0", "maxElementsPerTensor must be at least 1, got 0"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientCheck.Options(
                    Double.parseDouble(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                    Integer.parseInt(c[3]), 1));
            assertEquals("gradient check: " + c[4], e.getMessage());
        }
        // zero tolerances are allowed: the analytic and numeric values must then agree exactly
        assertEquals(0.0, new GradientCheck.Options(0.01, 0, 0, 1, 1).relativeTolerance());
    }

    /** Values spaced at least 0.05 apart and away from 0, so ε = 0.01 never crosses a kink or tie. */
    static Tensor distinctValues(int[] shape, long seed) {
        Tensor t = Tensor.zeros(shape);
        int n = t.size();
        int[] perm = new int[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) {
            t.data()[i] = (perm[i] - n / 2 + 0.5f) * 0.05f;
        }
        return t;
    }
}
