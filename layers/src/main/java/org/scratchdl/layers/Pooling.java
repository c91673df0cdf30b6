package org.scratchdl.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchdl.tensor.ConvGeometry;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.PoolingKernel;
import org.scratchdl.tensor.ScalarPoolingKernel;
import org.scratchdl.tensor.ScalarReluKernel;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Max pooling over NCHW input, channel by channel (Saito 2016, §7.4.4).
 *
 * <p>The book unfolds the input with {@code im2col}, reshapes to {@code (N·OH·OW·C, ph·pw)} so each
 * row is one channel's window, and takes the row maximum. This layer computes exactly that maximum
 * with a direct loop over each window, which avoids building the column matrix. Padding never
 * wins: padded positions are skipped (−∞, as in PyTorch), and {@code pad} may be at most half the
 * window (so every window holds at least one real value). A NaN in a window makes its maximum NaN
 * (which NaN, when the window holds several, may vary), and its gradient goes to the first NaN.
 *
 * <p>Backward sends each {@code dout} value to its window's maximum and zero elsewhere, adding
 * where overlapping windows ({@code stride < pool}) share a maximum. At a tie the first maximum in
 * row-major window order receives the gradient, as NumPy's {@code argmax}. The position is found
 * again in backward (the first element with the bits of the window's output, or the first NaN when
 * that is NaN), which keeps forward free of branches; the training input is kept (not copied) until
 * then. The common 2×2 window with stride 2 and no padding, where windows do not overlap, runs on
 * {@link PoolingKernel#fastest()} (vectorised when the Vector API is available, the same bits either
 * way).
 *
 * <p>{@link #forwardRectified} computes {@code ReLU(maxpool(x))} without a tensor in between: a
 * {@code Sequential} model runs a ReLU directly followed by a max pooling of stride 2 or more that
 * way. For the 2×2 window with stride 2 and no padding the rectifier is part of the pooling's own
 * loop; for other windows it is a second loop over the pooled values only.
 *
 * <p>Shapes: {@code x (N, C, H, W)} → {@code (N, C, OH, OW)} with {@code OH = floor((H + 2·pad −
 * poolH) / stride) + 1} ({@link ConvGeometry}).
 */
public final class Pooling implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Pooling";

    /** The 2×2/2 loops (vectorised when the Vector API is available, the same bits either way). */
    private static final PoolingKernel KERNEL = PoolingKernel.fastest();

    private final ConvGeometry geometry;
    private Parallelism parallelism = Parallelism.sequential();

    private Tensor x;
    private Tensor out;
    private Tensor dx;
    /** Whether the last training forward was {@link #forwardRectified}. */
    private boolean rectified;

    /**
     * @param poolH window height
     * @param poolW window width
     * @param stride step between windows
     * @param pad padding on each border, at most half the window
     * @throws IllegalArgumentException on an invalid geometry (the message starts with the layer type)
     */
    public Pooling(int poolH, int poolW, int stride, int pad) {
        try {
            this.geometry = new ConvGeometry(poolH, poolW, stride, pad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + ": " + e.getMessage(), e);
        }
        if (pad > poolH / 2 || pad > poolW / 2) {
            throw new IllegalArgumentException(TYPE + ": pad " + pad + " must be at most half the pool window "
                    + poolH + "×" + poolW + ", so that no window is all padding");
        }
    }

    /**
     * Rebuilds a pooling layer from its spec.
     *
     * @param spec a spec as {@link #spec()} writes it, with the integers {@code poolH}, {@code poolW},
     *     {@code stride} and {@code pad}
     * @return the layer
     * @throws IllegalArgumentException if one of them is missing or not an {@code int}, or they are
     *     invalid as for the constructor
     */
    public static Pooling fromSpec(LayerSpec spec) {
        return new Pooling(spec.getInt("poolH"), spec.getInt("poolW"), spec.getInt("stride"), spec.getInt("pad"));
    }

    /**
     * The window geometry.
     *
     * @return the window size ({@code kernelH × kernelW}), stride and pad
     */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forward(x, training, false);
    }

    /**
     * {@code ReLU(maxpool(x))}, which equals {@code maxpool(ReLU(x))}: {@code max(0, ·)} of each
     * window's maximum, the maximum of the window's ReLUs (Saito 2016, §5.5.1 and §7.4.4), without a
     * tensor in between. The same bits as {@link ReLU#forward} applied to {@link #forward}'s result,
     * or {@link #forward} applied to {@link ReLU#forward}'s, except that a window holding NaN may
     * yield another NaN. After a training call, {@link #backward} gives the gradient of the pair: a
     * window whose output is {@code +0} passes {@code +0} back, the others pass {@code dout} to their
     * first maximum, the same bits as {@link ReLU#backward} and this layer's backward in either
     * order. A later inference call ({@code training = false}) does not change what
     * {@link #backward} computes.
     *
     * @param x input {@code (N, C, H, W)}
     * @param training whether to keep what {@link #backward} needs
     * @return {@code (N, C, OH, OW)}
     * @throws IllegalArgumentException if {@code x} has a shape the pooling cannot take
     */
    public Tensor forwardRectified(Tensor x, boolean training) {
        return forward(x, training, true);
    }

    private Tensor forward(Tensor x, boolean training, boolean rectify) {
        int[] os = outputShape(x.shape());
        int planes = os[0] * os[1];
        int oh = os[2];
        int ow = os[3];
        int h = x.dim(2);
        int w = x.dim(3);
        Tensor o = training ? Tensor.reuse(out, os) : Tensor.zeros(os);
        float[] src = x.data();
        float[] dst = o.data();
        int parts = planes * oh * ow < 1 << 12 ? 1 : Math.min(parallelism.threads(), planes);
        parallelism.forEach(parts, p -> maxPool(src, dst, h, w, oh, ow,
                Parallelism.partStart(planes, parts, p), Parallelism.partStart(planes, parts, p + 1), rectify));
        if (training) {
            this.x = x;
            out = o;
            rectified = rectify;
        }
        return o;
    }

    /**
     * The maximum of each window of planes {@code [from, to)}, with {@code rectify} then
     * {@code max(0, ·)}; padding (outside the image) is skipped. The loops run over window offsets
     * (i, j) outside and output columns inside, so the inner loop is a plain running maximum without
     * branches.
     */
    private void maxPool(float[] src, float[] dst, int h, int w, int oh, int ow, int from, int to,
                         boolean rectify) {
        if (tilesTwoByTwo()) {
            KERNEL.forward(src, dst, h, w, from, to, rectify);
            return;
        }
        if (isTwoByTwoWithoutPad()) {
            maxPoolTwoByTwo(src, dst, h, w, oh, ow, from, to);
        } else {
            maxPoolAnyWindow(src, dst, h, w, oh, ow, from, to);
        }
        if (rectify) {
            // ReLU's own loop, in place over the pooled values
            ScalarReluKernel.INSTANCE.forward(dst, dst, from * oh * ow, to * oh * ow);
        }
    }

    /** {@link #maxPool} for any window, without rectifying. */
    private void maxPoolAnyWindow(float[] src, float[] dst, int h, int w, int oh, int ow, int from, int to) {
        int s = geometry.stride();
        int p = geometry.pad();
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                int o = (plane * oh + y) * ow;
                Arrays.fill(dst, o, o + ow, Float.NEGATIVE_INFINITY);
                for (int i = 0; i < geometry.kernelH(); i++) {
                    int r = y * s - p + i;
                    if (r < 0 || r >= h) {
                        continue;
                    }
                    int row = base + r * w;
                    for (int j = 0; j < geometry.kernelW(); j++) {
                        // output columns whose window column xo·s − p + j lies inside the image
                        int first = Math.max(0, Math.floorDiv(p - j + s - 1, s));
                        int last = Math.min(ow, Math.floorDiv(w - 1 + p - j, s) + 1);
                        for (int xo = first, c = row + first * s - p + j; xo < last; xo++, c += s) {
                            dst[o + xo] = Math.max(dst[o + xo], src[c]);
                        }
                    }
                }
            }
        }
    }

    /**
     * The book's (and the most common) window, 2×2 with stride 2 and no padding: windows tile the
     * input, the case {@link PoolingKernel} serves.
     */
    private boolean tilesTwoByTwo() {
        return isTwoByTwoWithoutPad() && geometry.stride() == 2;
    }

    /** A 2×2 window without padding, so every window is inside the image. */
    private boolean isTwoByTwoWithoutPad() {
        return geometry.kernelH() == 2 && geometry.kernelW() == 2 && geometry.pad() == 0;
    }

    /** {@link #maxPool} for 2×2 windows without padding, written out. */
    private void maxPoolTwoByTwo(float[] src, float[] dst, int h, int w, int oh, int ow, int from, int to) {
        int s = geometry.stride();
        for (int plane = from; plane < to; plane++) {
            for (int y = 0; y < oh; y++) {
                int top = plane * h * w + y * s * w;
                int bottom = top + w;
                int o = (plane * oh + y) * ow;
                for (int xo = 0, c = 0; xo < ow; xo++, c += s) {
                    dst[o + xo] = Math.max(Math.max(src[top + c], src[top + c + 1]),
                            Math.max(src[bottom + c], src[bottom + c + 1]));
                }
            }
        }
    }

    /**
     * The gradient a window passes to its first maximum: {@code dout}, or with {@code rectify} (the
     * ReLU's backward first) {@code dout} where the window's output is not +0 and +0 where it is.
     */
    private static float passed(float out, float dout, boolean rectify) {
        return rectify ? ScalarReluKernel.keepWhereNonZero(out, dout) : dout;
    }

    /** Backward for 2×2 windows without padding: the first of the four equal to the maximum gets dout. */
    private void backwardTwoByTwo(float[] src, float[] max, float[] g, float[] dst, int h, int w, int oh, int ow,
                                  int from, int to, boolean rectify) {
        int s = geometry.stride();
        for (int plane = from; plane < to; plane++) {
            for (int y = 0; y < oh; y++) {
                int top = plane * h * w + y * s * w;
                int o = (plane * oh + y) * ow;
                for (int xo = 0, a = top; xo < ow; xo++, a += s) {
                    float m = max[o + xo];
                    int first = a + w + 1;
                    first += (a + w - first) * ScalarPoolingKernel.isMaximum(src[a + w], m);
                    first += (a + 1 - first) * ScalarPoolingKernel.isMaximum(src[a + 1], m);
                    first += (a - first) * ScalarPoolingKernel.isMaximum(src[a], m);
                    dst[first] += passed(m, g[o + xo], rectify);
                }
            }
        }
    }

    private int rowStart(int y) {
        return Math.max(0, y * geometry.stride() - geometry.pad());
    }

    private int columnStart(int xo) {
        return Math.max(0, xo * geometry.stride() - geometry.pad());
    }

    @Override
    public Tensor backward(Tensor dout) {
        Layer.requireBackwardInput(TYPE, out, dout);
        dx = Tensor.reuse(dx, x.shape());
        float[] src = x.data();
        float[] max = out.data();
        float[] g = dout.data();
        float[] dst = dx.data();
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        int planes = x.dim(0) * x.dim(1);
        int parts = g.length < 1 << 12 ? 1 : Math.min(parallelism.threads(), planes);
        boolean rectify = rectified;
        parallelism.forEach(parts, p -> {
            int from = Parallelism.partStart(planes, parts, p);
            int to = Parallelism.partStart(planes, parts, p + 1);
            if (tilesTwoByTwo()) {
                KERNEL.backward(src, max, g, dst, h, w, from, to, rectify);
                return;
            }
            Arrays.fill(dst, from * h * w, to * h * w, 0f);
            if (isTwoByTwoWithoutPad()) {
                backwardTwoByTwo(src, max, g, dst, h, w, oh, ow, from, to, rectify);
                return;
            }
            int[] first = new int[ow];
            for (int plane = from; plane < to; plane++) {
                for (int y = 0; y < oh; y++) {
                    int o = (plane * oh + y) * ow;
                    firstMaxima(src, plane * h * w, h, w, y, ow, max, o, first);
                    for (int xo = 0; xo < ow; xo++) {
                        dst[first[xo]] += passed(max[o + xo], g[o + xo], rectify);
                    }
                }
            }
        });
        return dx;
    }

    /**
     * For each window of output row {@code y}, the index in {@code src} of its first element equal
     * to the window's maximum {@code max[o + xo]} (argmax), into {@code first}. Branch-free: the
     * window offsets are visited backwards and an index moves to every element with the maximum's
     * exact bits (any NaN when the maximum is NaN), so it ends on the first one.
     */
    private void firstMaxima(float[] src, int base, int h, int w, int y, int ow, float[] max, int o, int[] first) {
        int s = geometry.stride();
        int p = geometry.pad();
        for (int xo = 0; xo < ow; xo++) {
            first[xo] = base + rowStart(y) * w + columnStart(xo);
        }
        for (int i = geometry.kernelH() - 1; i >= 0; i--) {
            int r = y * s - p + i;
            if (r < 0 || r >= h) {
                continue;
            }
            int row = base + r * w;
            for (int j = geometry.kernelW() - 1; j >= 0; j--) {
                int firstColumn = Math.max(0, Math.floorDiv(p - j + s - 1, s));
                int lastColumn = Math.min(ow, Math.floorDiv(w - 1 + p - j, s) + 1);
                for (int xo = firstColumn, c = row + firstColumn * s - p + j; xo < lastColumn; xo++, c += s) {
                    first[xo] += (c - first[xo]) * ScalarPoolingKernel.isMaximum(src[c], max[o + xo]);
                }
            }
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        try {
            return geometry.outputShape(inputShape, inputShape.length == 4 ? inputShape[1] : -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + " (" + geometry + ") on input " + Shapes.format(inputShape)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public LayerSpec spec() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("poolH", geometry.kernelH());
        c.put("poolW", geometry.kernelW());
        c.put("stride", geometry.stride());
        c.put("pad", geometry.pad());
        return new LayerSpec(TYPE, c);
    }

    @Override
    public String toString() {
        return TYPE + "(max, " + geometry + ")";
    }
}
