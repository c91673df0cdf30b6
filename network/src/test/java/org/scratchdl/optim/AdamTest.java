package org.scratchdl.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/** Adam against values computed independently with NumPy in float64 from the book's formula. */
class AdamTest {

    @Test
    void twoStepsMatchTheBooksFormula() {
        Parameter p = new Parameter("weight", Tensor.of(new float[] {1.0f, -2.0f, 0.5f}, 3));
        p.grad().copyFrom(Tensor.of(new float[] {0.5f, 0.1f, -3.0f}, 3));
        Adam adam = new Adam(0.1);
        adam.step(List.of(p));
        assertClose(new double[] {0.90000063, -2.09999684, 0.59999989}, p.value().data());
        adam.step(List.of(p));
        assertClose(new double[] {0.80000108, -2.1999946, 0.69999982}, p.value().data());
        assertEquals(2, adam.steps());
        assertEquals(2L, adam.state().counter("step"));
    }

    private static void assertClose(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-6, "element " + i);
        }
    }
}
