package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void reshapeIsAViewThatSharesData() {
        Tensor t = Tensor.arange(2, 3, 4);
        Tensor v = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, v.shape());
        v.set(100f, 5, 3);
        assertEquals(100f, t.get(1, 2, 3));
        assertSame(t.data(), v.data());
    }

    @Test
    void reshapeRejectsWrongSizeNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.arange(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 2)"), e.getMessage());
    }

    @Test
    void transposeCopiesLikeNumpy() {
        Tensor t = Tensor.arange(2, 3, 4);
        Tensor p = t.transpose(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(t.get(a, b, c), p.get(c, a, b));
                }
            }
        }
        p.set(-1f, 0, 0, 0);
        assertEquals(0f, t.get(0, 0, 0), "transpose must copy");
    }

    @Test
    void transposeNchwToNhwcAndBack() {
        Tensor x = Tensor.randn(new Random(1), 1f, 2, 3, 4, 5);
        Tensor back = x.transpose(0, 2, 3, 1).transpose(0, 3, 1, 2);
        assertArrayEquals(x.data(), back.data());
    }

    @Test
    void transposeRejectsBadAxes() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(2, 3).transpose(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(2, 3).transpose(0));
    }

    @Test
    void ofChecksDataLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void zerosRejectsOverflowingShape() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(100000, 100000));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(-1, 2));
    }

    @Test
    void hasSameShapeComparesRankAndEveryDimension() {
        Tensor t = Tensor.zeros(2, 3);
        assertTrue(t.hasSameShape(Tensor.zeros(2, 3)));
        assertFalse(t.hasSameShape(Tensor.zeros(3, 2)), "same element count, transposed");
        assertFalse(t.hasSameShape(Tensor.zeros(2, 3, 1)), "another rank");
        assertFalse(t.hasSameShape(Tensor.zeros(6)));
    }

    @Test
    void shapeSizeReadsEveryDimension() {
        // the product of the leading dimensions passes Integer.MAX_VALUE, a later one is 0 or negative
        assertEquals(0, Shapes.size(new int[] {1 << 30, 4, 0}));
        assertArrayEquals(new int[] {1 << 30, 4, 0}, Tensor.zeros(1 << 30, 4, 0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1 << 30, 4, -1));
        assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
        // a negative after a 0 is still refused
        assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0, -3));
        assertEquals(Long.MAX_VALUE, Shapes.size(new int[] {1 << 30, 4, 1}));
        assertEquals(Long.MAX_VALUE, Shapes.size(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
        assertEquals(24, Shapes.size(new int[] {2, 3, 4}));
        assertEquals(1, Shapes.size(new int[0]));
    }

    @Test
    void sliceCopiesRows() {
        Tensor t = Tensor.arange(4, 2);
        Tensor s = t.slice(1, 3, null);
        assertArrayEquals(new float[] {2, 3, 4, 5}, s.data());
        assertThrows(IllegalArgumentException.class, () -> t.slice(3, 5, null));
    }

    @Test
    void argmaxTakesFirstAtTie() {
        Tensor t = Tensor.of(new float[] {1, 3, 3, 0, -1, -2}, 2, 3);
        assertArrayEquals(new int[] {1, 0}, t.argmaxRows());
    }

    @Test
    void randnIsSeeded() {
        assertArrayEquals(Tensor.randn(new Random(7), 0.01f, 10).data(), Tensor.randn(new Random(7), 0.01f, 10).data());
    }

    @Test
    void formatsOneDimensionalShapesLikePython() {
        assertEquals("(5,)", Shapes.format(5));
        assertEquals("(2, 3)", Shapes.format(2, 3));
    }
}
