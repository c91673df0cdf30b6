package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Im2ColKernel} on the JDK's incubating Vector API. A window that lies wholly inside the
 * image is kh·C runs of kw contiguous values, each copied with one whole-vector load and store:
 * the store writes L−kw values past the run, which the next run's store (or the next window's)
 * overwrites, as runs are written in increasing order; past a row's last run it may leave them in
 * the gap before the next row, which the contract allows. Where that could write past the
 * sample's last row or read past x, and for windows over the padding or kernels wider than a
 * vector, windows are copied by {@link ScalarIm2ColKernel}. This class needs the module
 * {@code jdk.incubator.vector}; use {@link Im2ColKernel#fastest()}.
 */
public final class VectorIm2ColKernel implements Im2ColKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** A kernel; the class has no state. */
    public VectorIm2ColKernel() {
    }

    @Override
    public void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                             float[] col, int colOff, int rowStride) {
        int oh = g.outH(h);
        int ow = g.outW(w);
        int kh = g.kernelH();
        int kw = g.kernelW();
        int s = g.stride();
        int p = g.pad();
        int rowLength = c * kh * kw;
        int end = colOff + (oh * ow - 1) * rowStride + rowLength;
        int d = colOff;
        for (int y = 0; y < oh; y++) {
            int top = y * s - p;
            for (int xo = 0; xo < ow; xo++, d += rowStride) {
                int left = xo * s - p;
                boolean inside = top >= 0 && left >= 0 && top + kh <= h && left + kw <= w;
                int lastSource = xOff + (c - 1) * h * w + (top + kh - 1) * w + left;
                if (!inside || kw > L || d + rowLength - kw + L > end || lastSource + L > x.length) {
                    ScalarIm2ColKernel.window(x, xOff, c, h, w, g, padValue, y, xo, col, d);
                    continue;
                }
                for (int ci = 0, to = d; ci < c; ci++) {
                    for (int i = 0, from = xOff + ci * h * w + top * w + left; i < kh; i++, from += w, to += kw) {
                        FloatVector.fromArray(S, x, from).intoArray(col, to);
                    }
                }
            }
        }
    }
}
