package org.scratchdl.tensor;

/** {@link Im2ColKernel} in plain Java, one element at a time. */
public final class ScalarIm2ColKernel implements Im2ColKernel {
    /** The one instance (the class has no state). */
    public static final ScalarIm2ColKernel INSTANCE = new ScalarIm2ColKernel();

    private ScalarIm2ColKernel() {
    }

    @Override
    public void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                             float[] col, int colOff, int rowStride) {
        int oh = g.outH(h);
        int ow = g.outW(w);
        int d = colOff;
        for (int y = 0; y < oh; y++) {
            for (int xo = 0; xo < ow; xo++, d += rowStride) {
                window(x, xOff, c, h, w, g, padValue, y, xo, col, d);
            }
        }
    }

    /**
     * Writes the row of output position (y, xo), {@code C·kh·kw} values channel-major, to
     * {@code col[d..]}, reading padding as {@code padValue}.
     */
    static void window(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue, int y, int xo,
                       float[] col, int d) {
        int kh = g.kernelH();
        int kw = g.kernelW();
        int top = y * g.stride() - g.pad();
        int left = xo * g.stride() - g.pad();
        boolean inside = top >= 0 && left >= 0 && top + kh <= h && left + kw <= w;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < kh; i++) {
                int row = top + i;
                if (inside) {
                    // the common case: the whole window lies in the image, no checks
                    for (int j = 0, src = plane + row * w + left; j < kw; j++) {
                        col[d++] = x[src + j];
                    }
                    continue;
                }
                boolean rowInside = row >= 0 && row < h;
                for (int j = 0; j < kw; j++) {
                    int column = left + j;
                    col[d++] = rowInside && column >= 0 && column < w ? x[plane + row * w + column] : padValue;
                }
            }
        }
    }
}
