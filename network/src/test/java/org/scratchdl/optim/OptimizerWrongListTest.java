package org.scratchdl.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * An optimizer with state given a list whose last parameter has another shape than at the first
 * step: the step is refused before it updates anything, the earlier parameters included.
 */
class OptimizerWrongListTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void refusedStepUpdatesNothing(String name) {
        Parameter first = parameter(Tensor.of(new float[] {1f, -2f, 0.5f}, 3));
        Parameter second = parameter(Tensor.of(new float[] {0.25f, 4f, -1f, 3f, 2f, -0.5f}, 2, 3));
        Optimizer optimizer = Optimizers.create(name, 0.1);
        optimizer.step(List.of(first, second));

        // same element count, transposed shape
        Parameter transposed = parameter(Tensor.of(second.value().data().clone(), 3, 2));
        float[] firstBefore = first.value().data().clone();
        float[] transposedBefore = transposed.value().data().clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> optimizer.step(List.of(first, transposed)));
        assertTrue(e.getMessage().contains("parameter 1 has shape (2, 3), the parameter now (3, 2)"), e.getMessage());
        assertArrayEquals(firstBefore, first.value().data(), name + ": the first parameter was updated");
        assertArrayEquals(transposedBefore, transposed.value().data(), name);
        if (optimizer instanceof Adam adam) {
            assertEquals(1, adam.steps(), "a refused step must not count in Adam's bias correction");
        }
    }

    private static Parameter parameter(Tensor value) {
        Parameter p = new Parameter("weight", value);
        float[] g = p.grad().data();
        for (int i = 0; i < g.length; i++) {
            g[i] = 0.5f - i;
        }
        return p;
    }
}
