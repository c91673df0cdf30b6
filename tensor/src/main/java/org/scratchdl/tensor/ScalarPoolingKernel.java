package org.scratchdl.tensor;

import java.util.Arrays;

/**
 * {@link PoolingKernel} in plain Java, one window at a time, without data-dependent branches (a
 * mispredicted branch per window would cost more than the window's arithmetic); rectifying takes
 * {@code max(0, ·)} of each window's maximum and masks its gradient with ReLU's rule.
 */
public final class ScalarPoolingKernel implements PoolingKernel {
    /** The one instance (the class has no state). */
    public static final ScalarPoolingKernel INSTANCE = new ScalarPoolingKernel();

    private ScalarPoolingKernel() {
    }

    @Override
    public void forward(float[] x, float[] out, int h, int w, int from, int to, boolean rectify) {
        int oh = h / 2;
        int ow = w / 2;
        for (int plane = from; plane < to; plane++) {
            for (int y = 0; y < oh; y++) {
                forwardRow(x, plane * h * w + 2 * y * w, w, out, (plane * oh + y) * ow, 0, ow, rectify);
            }
        }
    }

    /**
     * Windows {@code first .. last-1} of one output row: its top input row starts at {@code top},
     * its output row at {@code o}; with {@code rectify}, {@code max(0, ·)} of each.
     */
    static void forwardRow(float[] x, int top, int w, float[] out, int o, int first, int last, boolean rectify) {
        int bottom = top + w;
        for (int xo = first, c = 2 * first; xo < last; xo++, c += 2) {
            float m = Math.max(Math.max(x[top + c], x[top + c + 1]), Math.max(x[bottom + c], x[bottom + c + 1]));
            out[o + xo] = rectify ? Math.max(m, 0f) : m;
        }
    }

    @Override
    public void backward(float[] x, float[] out, float[] dout, float[] dx, int h, int w, int from, int to,
                         boolean rectify) {
        int oh = h / 2;
        int ow = w / 2;
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                int top = base + 2 * y * w;
                backwardRow(x, out, dout, dx, top, w, (plane * oh + y) * ow, 0, ow, rectify);
                if (2 * ow < w) {
                    dx[top + 2 * ow] = 0f;
                    dx[top + w + 2 * ow] = 0f;
                }
            }
            if (2 * oh < h) {
                Arrays.fill(dx, base + 2 * oh * w, base + h * w, 0f);
            }
        }
    }

    /** Windows {@code first .. last-1} of one output row, as {@link #forwardRow}. */
    static void backwardRow(float[] x, float[] out, float[] dout, float[] dx, int top, int w, int o,
                            int first, int last, boolean rectify) {
        for (int xo = first, a = top + 2 * first; xo < last; xo++, a += 2) {
            float max = out[o + xo];
            float g = rectify ? ScalarReluKernel.keepWhereNonZero(max, dout[o + xo]) : dout[o + xo];
            int v = Float.floatToRawIntBits(0f + g);
            int b = a + w;
            // the first of a, a+1, b, b+1 (row-major window order) holding the maximum
            int s0 = isMaximum(x[a], max);
            int s1 = isMaximum(x[a + 1], max) & (s0 ^ 1);
            int s2 = isMaximum(x[b], max) & ((s0 | s1) ^ 1);
            int s3 = (s0 | s1 | s2) ^ 1;
            // v where selected, else +0, without a branch: -1 is all ones
            dx[a] = Float.intBitsToFloat(v & -s0);
            dx[a + 1] = Float.intBitsToFloat(v & -s1);
            dx[b] = Float.intBitsToFloat(v & -s2);
            dx[b + 1] = Float.intBitsToFloat(v & -s3);
        }
    }

    /**
     * 1 when {@code v} has the bits of {@code max}, or both are NaN (of any payload), else 0;
     * without a branch. This is how max pooling finds a window's first maximum again: matching
     * any NaN keeps the choice independent of which NaN {@link Math#max(float, float)} returned
     * (that can change when the JIT recompiles it).
     *
     * @param v a window element
     * @param max the window's maximum
     * @return 1 or 0
     */
    public static int isMaximum(float v, float max) {
        int e = Float.floatToRawIntBits(v) ^ Float.floatToRawIntBits(max);
        int same = ((e | -e) >>> 31) ^ 1;
        // v != v exactly for NaN; the comparisons compile to flag moves, not jumps
        int bothNaN = (v != v ? 1 : 0) & (max != max ? 1 : 0);
        return same | bothNaN;
    }
}
