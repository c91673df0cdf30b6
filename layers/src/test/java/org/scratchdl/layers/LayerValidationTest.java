package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchdl.tensor.Tensor;

class LayerValidationTest {

    @Test
    void convolutionRejectsWrongChannelCount() {
        Convolution conv = Convolution.initialized(3, 4, 3, 1, 0, new Random(1), 0.01f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(2, 1, 8, 8), false));
        assertTrue(e.getMessage().contains("expected 3 input channels") && e.getMessage().contains("(2, 1, 8, 8)"),
                e.getMessage());
    }

    @Test
    void convolutionRejectsKernelLargerThanPaddedInput() {
        Convolution conv = Convolution.initialized(1, 2, 5, 1, 0, new Random(1), 0.01f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(1, 1, 4, 4), false));
        assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
    }

    @Test
    void convolutionRejectsBadStrideAndPad() {
        assertThrows(IllegalArgumentException.class, () -> Convolution.initialized(1, 2, 3, 0, 0, new Random(1), 0.01f));
        assertThrows(IllegalArgumentException.class, () -> Convolution.initialized(1, 2, 3, -1, 0, new Random(1), 0.01f));
        assertThrows(IllegalArgumentException.class, () -> Convolution.initialized(1, 2, 3, 1, -1, new Random(1), 0.01f));
    }

    @Test
    void affineRejectsWrongInputSize() {
        Affine affine = Affine.initialized(4320, 100, new Random(1), 0.01f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> affine.forward(Tensor.zeros(2, 30, 10, 10), false));
        assertTrue(e.getMessage().contains("expected 4320") && e.getMessage().contains("3000"), e.getMessage());
    }

    @Test
    void softmaxRejectsLabelsOutOfRangeAndCountMismatch() {
        SoftmaxWithLoss loss = new SoftmaxWithLoss();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(Tensor.zeros(2, 10), new int[] {1, 10}));
        assertTrue(e.getMessage().contains("label 10 at index 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(2, 10), new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(2, 10), new int[] {-1, 0}));
        assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(0, 10), new int[0]));
    }

    /** log-softmax, not log(softmax + 1e-7): DESIGN.md's trap. */
    @Test
    void crossEntropyIsExactForHugeLogits() {
        float l = new SoftmaxWithLoss().forward(Tensor.of(new float[] {-431, 279, 427}, 1, 3), new int[] {0});
        assertEquals(858.0, l, 1e-3);
        float big = new SoftmaxWithLoss().forward(Tensor.of(new float[] {1000, -1000, 0}, 1, 3), new int[] {0});
        assertEquals(0.0, big, 1e-6);
    }

    @Test
    void reluDoesNotModifyDout() {
        ReLU relu = new ReLU();
        relu.forward(Tensor.of(new float[] {-1, 2}, 1, 2), true);
        Tensor dout = Tensor.of(new float[] {5, 6}, 1, 2);
        Tensor dx = relu.backward(dout);
        assertEquals(0f, dx.data()[0]);
        assertEquals(5f, dout.data()[0]);
    }

    @Test
    void registryRebuildsBuiltinsAndNamesUnknownTypes() {
        LayerRegistry registry = LayerRegistry.withBuiltins();
        Convolution conv = Convolution.initialized(2, 3, 3, 2, 1, new Random(1), 0.1f);
        Layer rebuilt = registry.create(conv.spec());
        assertEquals(conv.spec(), rebuilt.spec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.create(LayerSpec.of("Swish")));
        assertTrue(e.getMessage().contains("unknown layer type 'Swish'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.register("ReLU", spec -> new ReLU()));
    }
}
