package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.scratchdl.tensor.Tensor;

/** Element-wise comparison of float32 results with a reference, naming the first bad element. */
final class TensorAssert {
    private TensorAssert() {
    }

    /** |actual − expected| ≤ atol + rtol·|expected| for every element, and identical shapes. */
    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }
}
