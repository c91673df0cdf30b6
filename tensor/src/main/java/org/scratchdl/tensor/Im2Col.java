package org.scratchdl.tensor;

import java.util.Arrays;

/**
 * {@code im2col} and its adjoint {@code col2im} (Saito 2016, §7.4.3), the unfolding that turns
 * convolution and pooling into matrix operations.
 *
 * <p>{@code im2col(x (N, C, H, W))} has shape {@code (N·OH·OW, C·kernelH·kernelW)}: row
 * {@code (n, oh, ow)} holds the window at output position (oh, ow) of sample n, channel-major (all
 * kernelH·kernelW values of channel 0, then channel 1, …). Padding reads as {@code padValue} (0 for
 * convolution). {@code col2im} scatters such a matrix back to {@code (N, C, H, W)}, adding where
 * windows overlap and dropping what falls on the padding, so that
 * {@code <im2col(x), y> = <x, col2im(y)>}. It is the adjoint, not the inverse.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /**
     * Unfolds {@code x (N, C, H, W)} into a new {@code (N·OH·OW, C·kh·kw)} matrix with zero padding.
     *
     * @param x the input {@code (N, C, H, W)}; not modified
     * @param g kernel, stride and pad
     * @return the column matrix {@code (N·OH·OW, C·kh·kw)}, a new tensor
     * @throws IllegalArgumentException if {@code x} is not 4-D or the geometry yields no output (or an OH or
     *     OW that does not fit an {@code int}), or the column matrix has more rows or columns than an
     *     {@code int} counts or too many elements for one array
     */
    public static Tensor im2col(Tensor x, ConvGeometry g) {
        return im2col(x, g, 0f, null);
    }

    /**
     * Unfolds {@code x (N, C, H, W)} into {@code out} (reused when it has shape
     * {@code (N·OH·OW, C·kh·kw)}, else allocated), reading padding as {@code padValue}.
     *
     * @param x the input {@code (N, C, H, W)}; not modified
     * @param g kernel, stride and pad
     * @param padValue the value read at padded positions (0 for convolution)
     * @param out overwritten when it has shape {@code (N·OH·OW, C·kh·kw)}, or {@code null}
     * @return the column matrix: {@code out} or a new tensor
     * @throws IllegalArgumentException if {@code x} is not 4-D or the geometry yields no output (or an OH or
     *     OW that does not fit an {@code int}), or the column matrix has more rows or columns than an
     *     {@code int} counts or too many elements for one array
     */
    public static Tensor im2col(Tensor x, ConvGeometry g, float padValue, Tensor out) {
        Shapes.requireRank(x, 4, "im2col");
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] colShape = columnShape("im2col", n, c, h, w, g);
        int rows = g.outH(h) * g.outW(w); // per sample: fits an int once columnShape has passed with N ≥ 1
        int cols = colShape[1];
        Tensor col = Tensor.reuse(out, colShape);
        for (int ni = 0; ni < n; ni++) {
            im2colSample(x.data(), ni * c * h * w, c, h, w, g, padValue, col.data(), ni * rows * cols);
        }
        return col;
    }

    /**
     * Unfolds one sample {@code (C, H, W)} stored at {@code x[xOff..]} into its
     * {@code (OH·OW, C·kh·kw)} rows at {@code col[colOff..]}, rows packed one after another. The
     * building block of {@link #im2col(Tensor, ConvGeometry, float, Tensor)}; the geometry must
     * already be checked.
     *
     * @param x the images, row-major; not modified
     * @param xOff offset of the sample {@code (C, H, W)} in {@code x}, in floats
     * @param c channels C
     * @param h height H, in pixels
     * @param w width W, in pixels
     * @param g kernel, stride and pad
     * @param padValue the value read at padded positions (0 for convolution)
     * @param col the destination; its {@code OH·OW·C·kh·kw} floats from {@code colOff} are overwritten
     * @param colOff offset of the first row in {@code col}, in floats
     * @throws IllegalArgumentException if {@code g} yields no output for {@code h} or {@code w} (see
     *     {@link ConvGeometry#outH(int)})
     * @throws IndexOutOfBoundsException if the sample or its rows do not fit their arrays
     */
    public static void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                                    float[] col, int colOff) {
        im2colSample(x, xOff, c, h, w, g, padValue, col, colOff, c * g.kernelH() * g.kernelW());
    }

    /**
     * {@link #im2colSample(float[], int, int, int, int, ConvGeometry, float, float[], int)} with one
     * row every {@code rowStride} floats; the {@code rowStride − C·kh·kw} floats between two rows
     * are left undefined (Convolution puts a column of ones there).
     *
     * @param x the images, row-major; not modified
     * @param xOff offset of the sample {@code (C, H, W)} in {@code x}, in floats
     * @param c channels C
     * @param h height H, in pixels
     * @param w width W, in pixels
     * @param g kernel, stride and pad
     * @param padValue the value read at padded positions (0 for convolution)
     * @param col the destination; the rows at {@code colOff + r·rowStride} are overwritten, nothing
     *     before {@code colOff} or after the last row
     * @param colOff offset of the first row in {@code col}, in floats
     * @param rowStride floats from the start of one row to the next, at least {@code C·kh·kw}
     * @throws IllegalArgumentException if {@code rowStride < C·kh·kw}, or if {@code g} yields no output for
     *     {@code h} or {@code w} (see {@link ConvGeometry#outH(int)})
     * @throws IndexOutOfBoundsException if the sample or its rows do not fit their arrays
     */
    public static void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                                    float[] col, int colOff, int rowStride) {
        int rowLength = c * g.kernelH() * g.kernelW();
        if (rowStride < rowLength) {
            throw new IllegalArgumentException("im2col row stride " + rowStride + " is shorter than a row of "
                    + rowLength + " values (C·kh·kw)");
        }
        Im2ColKernel.fastest().im2colSample(x, xOff, c, h, w, g, padValue, col, colOff, rowStride);
    }

    /**
     * Folds a column matrix {@code (N·OH·OW, C·kh·kw)} back into a new tensor of {@code xShape}
     * {@code (N, C, H, W)}, adding overlapping contributions.
     *
     * @param col the column matrix {@code (N·OH·OW, C·kh·kw)}; not modified
     * @param xShape the image shape {@code (N, C, H, W)}; not modified
     * @param g kernel, stride and pad, as given to im2col
     * @return a new tensor of shape {@code xShape}
     * @throws IllegalArgumentException if {@code xShape} is not 4-D or has a negative dimension, the geometry
     *     yields no output for it, {@code col} does not have the shape im2col gives for {@code xShape} and
     *     {@code g} (or that shape has more rows or columns than an {@code int} counts or too many elements
     *     for one array), or a new tensor of {@code xShape} would have too many elements for one array
     */
    public static Tensor col2im(Tensor col, int[] xShape, ConvGeometry g) {
        return col2im(col, xShape, g, null);
    }

    /**
     * As {@link #col2im(Tensor, int[], ConvGeometry)}, writing into {@code out} when it has shape
     * {@code xShape} (it is cleared first).
     *
     * @param col the column matrix {@code (N·OH·OW, C·kh·kw)}; not modified
     * @param xShape the image shape {@code (N, C, H, W)}; not modified
     * @param g kernel, stride and pad, as given to im2col
     * @param out cleared and overwritten when it has shape {@code xShape}, or {@code null}
     * @return {@code out} or a new tensor, of shape {@code xShape}
     * @throws IllegalArgumentException if {@code xShape} is not 4-D or has a negative dimension, the geometry
     *     yields no output for it, {@code col} does not have the shape im2col gives for {@code xShape} and
     *     {@code g} (or that shape has more rows or columns than an {@code int} counts or too many elements
     *     for one array), or a new tensor of {@code xShape} would have too many elements for one array
     */
    public static Tensor col2im(Tensor col, int[] xShape, ConvGeometry g, Tensor out) {
        if (xShape.length != 4) {
            throw new IllegalArgumentException("col2im: expected an NCHW shape but got " + Shapes.format(xShape));
        }
        int n = xShape[0];
        int c = xShape[1];
        int h = xShape[2];
        int w = xShape[3];
        Shapes.size(xShape); // a negative dimension is named as such
        int[] colShape = columnShape("col2im", n, c, h, w, g);
        int rows = g.outH(h) * g.outW(w); // per sample: fits an int once columnShape has passed with N ≥ 1
        int cols = colShape[1];
        Shapes.requireShape(col, colShape, "col2im for image shape " + Shapes.format(xShape));
        Tensor x = Tensor.reuse(out, xShape);
        x.fillZero();
        for (int ni = 0; ni < n; ni++) {
            col2imSample(col.data(), ni * rows * cols, c, h, w, g, x.data(), ni * c * h * w);
        }
        return x;
    }

    /**
     * Adds one sample's {@code (OH·OW, C·kh·kw)} rows at {@code col[colOff..]} into its image
     * {@code (C, H, W)} at {@code x[xOff..]} (which is not cleared), dropping what falls on the
     * padding. The building block of {@link #col2im(Tensor, int[], ConvGeometry, Tensor)}.
     *
     * @param col the column rows, row-major; not modified
     * @param colOff offset of the sample's first row in {@code col}, in floats
     * @param c channels C
     * @param h height H, in pixels
     * @param w width W, in pixels
     * @param g kernel, stride and pad
     * @param x the images; the sample's pixels that some window covers are added to
     * @param xOff offset of the sample {@code (C, H, W)} in {@code x}, in floats
     * @throws IllegalArgumentException if {@code g} yields no output for {@code h} or {@code w} (see
     *     {@link ConvGeometry#outH(int)})
     * @throws IndexOutOfBoundsException if the rows or the sample do not fit their arrays
     */
    public static void col2imSample(float[] col, int colOff, int c, int h, int w, ConvGeometry g,
                                    float[] x, int xOff) {
        int oh = g.outH(h);
        int ow = g.outW(w);
        int kh = g.kernelH();
        int kw = g.kernelW();
        int s = g.stride();
        int p = g.pad();
        int d = colOff;
        for (int y = 0; y < oh; y++) {
            int top = y * s - p;
            for (int xo = 0; xo < ow; xo++) {
                int left = xo * s - p;
                boolean inside = top >= 0 && left >= 0 && top + kh <= h && left + kw <= w;
                for (int ci = 0; ci < c; ci++) {
                    int plane = xOff + ci * h * w;
                    for (int i = 0; i < kh; i++) {
                        int row = top + i;
                        if (inside) {
                            for (int j = 0, dst = plane + row * w + left; j < kw; j++) {
                                x[dst + j] += col[d++];
                            }
                            continue;
                        }
                        boolean rowInside = row >= 0 && row < h;
                        for (int j = 0; j < kw; j++) {
                            int column = left + j;
                            if (rowInside && column >= 0 && column < w) {
                                x[plane + row * w + column] += col[d];
                            }
                            d++;
                        }
                    }
                }
            }
        }
    }

    /**
     * One sample's columns in the transposed layout {@code (C·kh·kw, OH·OW)}: the transpose of the
     * block {@link #im2colSample} writes (Caffe's layout, Jia et al. 2014). Row {@code (c, i, j)}
     * holds that window element for every output position, so for stride 1 each output row is a
     * contiguous copy of an input row. Convolution uses it: {@code W_col · colᵀ} lands in NCHW.
     *
     * @param x the images, row-major; not modified
     * @param xOff offset of the sample {@code (C, H, W)} in {@code x}, in floats
     * @param c channels C
     * @param h height H, in pixels
     * @param w width W, in pixels
     * @param g kernel, stride and pad
     * @param padValue the value read at padded positions (0 for convolution)
     * @param colT the destination; its {@code C·kh·kw·OH·OW} floats from {@code colOff} are overwritten
     * @param colOff offset of the first row in {@code colT}, in floats
     * @throws IllegalArgumentException if {@code g} yields no output for {@code h} or {@code w} (see
     *     {@link ConvGeometry#outH(int)})
     * @throws IndexOutOfBoundsException if the sample or its columns do not fit their arrays
     */
    public static void im2colSampleTransposed(float[] x, int xOff, int c, int h, int w, ConvGeometry g,
                                              float padValue, float[] colT, int colOff) {
        int oh = g.outH(h);
        int ow = g.outW(w);
        int s = g.stride();
        int p = g.pad();
        int d = colOff;
        for (int ci = 0; ci < c; ci++) {
            int plane = xOff + ci * h * w;
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++) {
                    int first = firstInside(p - j, s, ow);
                    int last = endInside(w - 1 + p - j, s, ow);
                    for (int y = 0; y < oh; y++, d += ow) {
                        int row = y * s - p + i;
                        if (row < 0 || row >= h || first >= last) {
                            Arrays.fill(colT, d, d + ow, padValue);
                            continue;
                        }
                        if (first > 0) {
                            Arrays.fill(colT, d, d + first, padValue);
                        }
                        int src = plane + row * w - p + j;
                        if (s == 1) {
                            // a contiguous run (an element loop was three times slower for runs of 24)
                            System.arraycopy(x, src + first, colT, d + first, last - first);
                        } else {
                            for (int xo = first, at = src + first * s; xo < last; xo++, at += s) {
                                colT[d + xo] = x[at];
                            }
                        }
                        if (last < ow) {
                            Arrays.fill(colT, d + last, d + ow, padValue);
                        }
                    }
                }
            }
        }
    }

    /** First output column whose window column {@code xo·s − p + j} is ≥ 0, given {@code pMinusJ = p − j}. */
    private static int firstInside(int pMinusJ, int s, int ow) {
        return Math.min(ow, Math.max(0, Math.floorDiv(pMinusJ + s - 1, s)));
    }

    /** One past the last output column whose window column is ≤ w − 1, given {@code w − 1 + p − j}. */
    private static int endInside(int limit, int s, int ow) {
        return Math.max(0, Math.min(ow, Math.floorDiv(limit, s) + 1));
    }

    /**
     * The column matrix's shape {@code (N·OH·OW, C·kh·kw)} for input {@code (N, C, H, W)}, computed
     * without int overflow.
     *
     * @throws IllegalArgumentException if the geometry yields no output, or the matrix would have more
     *     rows or columns than an int counts or more elements than one array holds
     */
    private static int[] columnShape(String op, int n, int c, int h, int w, ConvGeometry g) {
        long rowsPerSample = (long) g.outH(h) * g.outW(w);
        // doubles: the products may exceed a long, and are exact below 2^53, far above the limits
        double rows = (double) n * rowsPerSample;
        double cols = (double) c * g.kernelH() * g.kernelW();
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(columnMatrix(op, n, rowsPerSample, c, h, w, g)
                    + " has more rows or columns than an int counts");
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(columnMatrix(op, n, rowsPerSample, c, h, w, g)
                    + " has too many elements for one array");
        }
        return new int[] {(int) rows, (int) cols};
    }

    /** The column matrix of {@link #columnShape}, named for an error message. */
    private static String columnMatrix(String op, int n, long rowsPerSample, int c, int h, int w, ConvGeometry g) {
        return op + ": the column matrix (" + n + "·" + rowsPerSample + ", " + c + "·" + g.kernelH() + "·"
                + g.kernelW() + ") for input " + Shapes.format(new int[] {n, c, h, w});
    }
}
