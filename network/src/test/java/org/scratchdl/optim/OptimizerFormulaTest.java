package org.scratchdl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * Two steps of each optimizer with learning rate 0.1 and a fixed gradient, against values computed
 * independently with NumPy in float64 from the book's formulas ({@code common/optimizer.py}).
 */
class OptimizerFormulaTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", new double[] {0.95, -2.01, 0.8}, new double[] {0.9, -2.02, 1.1}),
                Arguments.of("momentum", new double[] {0.95, -2.01, 0.8}, new double[] {0.855, -2.029, 1.37}),
                Arguments.of("nesterov", new double[] {0.8645, -2.0271, 1.313}, new double[] {0.69255, -2.06149, 2.3447}),
                Arguments.of("adagrad", new double[] {0.90000002, -2.0999999, 0.6},
                        new double[] {0.82928935, -2.17071053, 0.67071067}),
                Arguments.of("rmsprop", new double[] {0.000002, -2.99999, 1.49999967},
                        new double[] {-0.7088782, -3.70886618, 2.2088807}),
                Arguments.of("adam", new double[] {0.90000063, -2.09999684, 0.59999989},
                        new double[] {0.80000108, -2.1999946, 0.69999982}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void twoStepsMatchTheBooksFormula(String name, double[] afterOne, double[] afterTwo) {
        Parameter p = new Parameter("weight", Tensor.of(new float[] {1.0f, -2.0f, 0.5f}, 3));
        p.grad().copyFrom(Tensor.of(new float[] {0.5f, 0.1f, -3.0f}, 3));
        Optimizer optimizer = Optimizers.create(name, 0.1);
        optimizer.step(List.of(p));
        assertClose(afterOne, p.value().data(), name + " step 1");
        optimizer.step(List.of(p));
        assertClose(afterTwo, p.value().data(), name + " step 2");
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 3e-6 * Math.max(1, Math.abs(expected[i])), what + ", element " + i);
        }
    }
}
