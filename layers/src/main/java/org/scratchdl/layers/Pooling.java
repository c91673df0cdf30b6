package org.scratchdl.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scratchdl.tensor.ConvGeometry;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Max pooling over NCHW input, channel by channel (Saito 2016, §7.4.4).
 *
 * <p>The book unfolds the input with {@code im2col}, reshapes to {@code (N·OH·OW·C, ph·pw)} so each
 * row is one channel's window, and takes the row maximum. This layer computes exactly that maximum
 * with a direct loop over each window, which avoids building the column matrix; it records the
 * input position of each maximum. Padding never wins: padded positions are −∞, as in PyTorch, and
 * {@code pad} may be at most half the window (so every window holds at least one real value).
 *
 * <p>Backward sends each {@code dout} value to its window's maximum and zero elsewhere, adding
 * where overlapping windows ({@code stride < pool}) share a maximum. At a tie the first maximum in
 * row-major window order receives the gradient, as NumPy's {@code argmax}.
 *
 * <p>Shapes: {@code x (N, C, H, W)} → {@code (N, C, OH, OW)} with {@code OH = floor((H + 2·pad −
 * poolH) / stride) + 1} ({@link ConvGeometry}).
 */
public final class Pooling implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Pooling";

    private final ConvGeometry geometry;
    private Parallelism parallelism = Parallelism.sequential();

    private int[] xShape;
    private int[] argmax;
    private Tensor out;
    private Tensor dx;

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

    /** Rebuilds a pooling layer from its spec. */
    public static Pooling fromSpec(LayerSpec spec) {
        return new Pooling(spec.getInt("poolH"), spec.getInt("poolW"), spec.getInt("stride"), spec.getInt("pad"));
    }

    /** The window geometry. */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int[] os = outputShape(x.shape());
        int planes = os[0] * os[1];
        int oh = os[2];
        int ow = os[3];
        int h = x.dim(2);
        int w = x.dim(3);
        Tensor o = training ? Tensor.reuse(out, os) : Tensor.zeros(os);
        int[] arg = training ? reuse(argmax, o.size()) : null;
        float[] src = x.data();
        float[] dst = o.data();
        int parts = planes * oh * ow < 1 << 12 ? 1 : Math.min(parallelism.threads(), planes);
        parallelism.forEach(parts, p -> maxPool(src, dst, arg, h, w, oh, ow,
                Parallelism.partStart(planes, parts, p), Parallelism.partStart(planes, parts, p + 1)));
        if (training) {
            xShape = x.shape();
            argmax = arg;
            out = o;
        }
        return o;
    }

    /** Max over each window of planes {@code [from, to)}, recording the position of the first maximum. */
    private void maxPool(float[] src, float[] dst, int[] arg, int h, int w, int oh, int ow, int from, int to) {
        int s = geometry.stride();
        int p = geometry.pad();
        int kh = geometry.kernelH();
        int kw = geometry.kernelW();
        int d = from * oh * ow;
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                int r0 = Math.max(0, y * s - p);
                int r1 = Math.min(h, y * s - p + kh);
                for (int xo = 0; xo < ow; xo++) {
                    int c0 = Math.max(0, xo * s - p);
                    int c1 = Math.min(w, xo * s - p + kw);
                    int best = base + r0 * w + c0;
                    float max = src[best];
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            int i = base + r * w + c;
                            if (src[i] > max) {
                                max = src[i];
                                best = i;
                            }
                        }
                    }
                    dst[d] = max;
                    if (arg != null) {
                        arg[d] = best;
                    }
                    d++;
                }
            }
        }
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (xShape == null) {
            throw new IllegalStateException(TYPE + ": backward called before a training forward");
        }
        Shapes.requireShape(dout, out.shape(), TYPE + " backward dout");
        dx = Tensor.reuse(dx, xShape);
        float[] g = dout.data();
        float[] dst = dx.data();
        int planes = xShape[0] * xShape[1];
        int inPlane = xShape[2] * xShape[3];
        int outPlane = g.length / Math.max(1, planes);
        int parts = g.length < 1 << 12 ? 1 : Math.min(parallelism.threads(), planes);
        parallelism.forEach(parts, p -> {
            int from = Parallelism.partStart(planes, parts, p);
            int to = Parallelism.partStart(planes, parts, p + 1);
            Arrays.fill(dst, from * inPlane, to * inPlane, 0f);
            for (int i = from * outPlane; i < to * outPlane; i++) {
                dst[argmax[i]] += g[i];
            }
        });
        return dx;
    }

    private static int[] reuse(int[] buffer, int length) {
        return buffer != null && buffer.length == length ? buffer : new int[length];
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
