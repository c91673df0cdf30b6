package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Im2ColTest {

    /** The seed document's worked example (Saito 2016, §7.4.4): x = arange(64).reshape(2, 2, 4, 4), 2×2 stride 2. */
    @Test
    void seedExampleRows() {
        Tensor col = Im2Col.im2col(Tensor.arange(2, 2, 4, 4), ConvGeometry.square(2, 2, 0));
        assertArrayEquals(new int[] {8, 8}, col.shape());
        assertArrayEquals(new float[] {0, 1, 4, 5, 16, 17, 20, 21}, row(col, 0));
        assertArrayEquals(new float[] {2, 3, 6, 7, 18, 19, 22, 23}, row(col, 1));
        assertArrayEquals(new float[] {8, 9, 12, 13, 24, 25, 28, 29}, row(col, 2));
        Tensor perChannel = col.reshape(-1, 4);
        assertArrayEquals(new int[] {16, 4}, perChannel.shape());
        assertArrayEquals(new float[] {0, 1, 4, 5}, row(perChannel, 0));
        assertArrayEquals(new float[] {16, 17, 20, 21}, row(perChannel, 1));
        assertArrayEquals(new float[] {2, 3, 6, 7}, row(perChannel, 2));
        assertArrayEquals(new float[] {18, 19, 22, 23}, row(perChannel, 3));
    }

    /** Hand-checked: 1×1×3×3 input, 2×2 kernel, stride 2, pad 1 → 2×2 output positions. */
    @Test
    void strideTwoPadOneByHand() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor col = Im2Col.im2col(x, ConvGeometry.square(2, 2, 1));
        assertArrayEquals(new int[] {4, 4}, col.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1}, row(col, 0));
        assertArrayEquals(new float[] {0, 0, 2, 3}, row(col, 1));
        assertArrayEquals(new float[] {0, 4, 0, 7}, row(col, 2));
        assertArrayEquals(new float[] {5, 6, 8, 9}, row(col, 3));
        Tensor back = Im2Col.col2im(Tensor.full(1f, 4, 4), new int[] {1, 1, 3, 3}, ConvGeometry.square(2, 2, 1));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, back.data());
    }

    /** 3×3 kernel, stride 2, pad 1 on a 2-channel 4×5 input: leftover column not covered. */
    @Test
    void strideTwoPadOneTwoChannels() {
        Tensor x = Tensor.arange(1, 2, 4, 5);
        ConvGeometry g = ConvGeometry.square(3, 2, 1);
        Tensor col = Im2Col.im2col(x, g);
        assertEquals(2, g.outH(4));
        assertEquals(3, g.outW(5));
        assertArrayEquals(new int[] {6, 18}, col.shape());
        // output (0, 0): rows -1..1, columns -1..1 of channel 0, then channel 1
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 5, 6, 0, 0, 0, 0, 20, 21, 0, 25, 26}, row(col, 0));
        // output (1, 2): rows 1..3, columns 3..5 (5 is padding)
        assertArrayEquals(new float[] {8, 9, 0, 13, 14, 0, 18, 19, 0, 28, 29, 0, 33, 34, 0, 38, 39, 0}, row(col, 5));
    }

    /** col2im is the adjoint, not the inverse (DESIGN.md). */
    @Test
    void col2imAddsOverlaps() {
        ConvGeometry g = ConvGeometry.square(2, 1, 0);
        Tensor back = Im2Col.col2im(Im2Col.im2col(Tensor.full(1f, 1, 1, 3, 3), g), new int[] {1, 1, 3, 3}, g);
        assertArrayEquals(new float[] {1, 2, 1, 2, 4, 2, 1, 2, 1}, back.data());
    }

    static Stream<Arguments> randomGeometries() {
        Random r = new Random(3);
        return IntStream.range(0, 40).mapToObj(i -> {
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(4);
            int pad = r.nextInt(3);
            int stride = 1 + r.nextInt(3);
            int h = Math.max(1, kh - 2 * pad) + r.nextInt(6);
            int w = Math.max(1, kw - 2 * pad) + r.nextInt(6);
            return Arguments.of(1 + r.nextInt(3), 1 + r.nextInt(3), h, w, new ConvGeometry(kh, kw, stride, pad), i);
        });
    }

    /** ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for random x, y and geometry. */
    @ParameterizedTest(name = "N={0} C={1} H={2} W={3} {4}")
    @MethodSource("randomGeometries")
    void adjointIdentity(int n, int c, int h, int w, ConvGeometry g, int seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.randn(r, 1f, n, c, h, w);
        Tensor col = Im2Col.im2col(x, g);
        Tensor y = Tensor.randn(r, 1f, col.shape());
        Tensor xt = Im2Col.col2im(y, x.shape(), g);
        double left = dot(col, y);
        double right = dot(x, xt);
        assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), "adjoint identity for " + g);
    }

    /** The transposed per-sample layout is exactly the transpose of the book's rows, padding included. */
    @ParameterizedTest(name = "N={0} C={1} H={2} W={3} {4}")
    @MethodSource("randomGeometries")
    void transposedSampleLayoutIsTheTranspose(int n, int c, int h, int w, ConvGeometry g, int seed) {
        Tensor x = Tensor.randn(new Random(seed), 1f, 1, c, h, w);
        Tensor col = Im2Col.im2col(x, g, -7f, null);
        int positions = col.dim(0);
        int k = col.dim(1);
        float[] colT = new float[k * positions];
        Im2Col.im2colSampleTransposed(x.data(), 0, c, h, w, g, -7f, colT, 0);
        assertArrayEquals(col.transpose(1, 0).data(), colT, "transposed columns for " + g);
    }

    @Test
    void rejectsImpossibleGeometry() {
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.square(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.square(3, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.square(0, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.im2col(Tensor.zeros(1, 1, 2, 2), ConvGeometry.square(5, 1, 1)));
        assertTrue(e.getMessage().contains("larger than the padded input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Im2Col.im2col(Tensor.zeros(2, 2), ConvGeometry.square(1, 1, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> Im2Col.col2im(Tensor.zeros(3, 3), new int[] {1, 1, 3, 3}, ConvGeometry.square(2, 1, 0)));
    }

    @Test
    void columnMatrixTooLargeForOneArrayIsRefusedByName() {
        // 1×1 kernel, pad 16383: OH·OW = 32768² = 2^30 rows per sample, so N·OH·OW passes an int's range at N = 2
        for (int n : new int[] {2, 3, 4}) {
            IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                    () -> Im2Col.im2col(Tensor.zeros(n, 1, 2, 2), new ConvGeometry(1, 1, 1, 16383)));
            assertEquals("im2col: the column matrix (" + n + "·1073741824, 1·1·1) for input (" + n
                    + ", 1, 2, 2) has more rows or columns than an int counts", tooMany.getMessage());
        }
        // 2^30 rows fit an int, but with 2 columns not one array
        IllegalArgumentException elements = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.im2col(Tensor.zeros(1, 2, 2, 2), new ConvGeometry(1, 1, 1, 16383)));
        assertEquals("im2col: the column matrix (1·1073741824, 2·1·1) for input (1, 2, 2, 2) has too many elements"
                + " for one array", elements.getMessage());
        // C·kh·kw past a long: 2^20 channels of a 2^30 × 2^30 kernel
        ConvGeometry huge = new ConvGeometry(1 << 30, 1 << 30, 1, 1 << 29);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Im2Col.im2col(Tensor.zeros(1, 1 << 20, 1, 1), huge));
        assertTrue(e.getMessage().endsWith("has more rows or columns than an int counts"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.im2col(Tensor.zeros(1, 1 << 21, 1, 1),
                        new ConvGeometry((1 << 30) + 1, (1 << 30) - 1, 1, 1 << 29)));
        assertTrue(e.getMessage().endsWith("has more rows or columns than an int counts"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.col2im(Tensor.zeros(4, 0), new int[] {1, 1 << 20, 1, 1}, huge));
        assertTrue(e.getMessage().startsWith("col2im: the column matrix"), e.getMessage());
        // no channels: 0 elements, but more rows than an int counts
        e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.im2col(Tensor.zeros(3, 0, 2, 2), new ConvGeometry(1, 1, 1, 16383)));
        assertTrue(e.getMessage().endsWith("has more rows or columns than an int counts"), e.getMessage());
        // a negative dimension in col2im's shape is named as such
        e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.col2im(Tensor.zeros(1, 1), new int[] {-2, 1, 2, 2}, new ConvGeometry(1, 1, 1, 0)));
        assertTrue(e.getMessage().contains("negative dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Im2Col.col2im(Tensor.zeros(1, 1), new int[] {4, 1, 2, 2}, new ConvGeometry(1, 1, 1, 16383)));
        assertTrue(e.getMessage().startsWith("col2im: the column matrix"), e.getMessage());
    }

    @Test
    void padValueFillsPadding() {
        Tensor col = Im2Col.im2col(Tensor.full(-5f, 1, 1, 1, 1), ConvGeometry.square(3, 1, 1), Float.NEGATIVE_INFINITY, null);
        assertEquals(-5f, col.get(0, 4));
        assertEquals(Float.NEGATIVE_INFINITY, col.get(0, 0));
    }

    private static float[] row(Tensor m, int r) {
        int cols = m.dim(1);
        float[] out = new float[cols];
        System.arraycopy(m.data(), r * cols, out, 0, cols);
        return out;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }
}
