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
 * with a direct loop over each window, which avoids building the column matrix. Padding never
 * wins: padded positions are skipped (−∞, as in PyTorch), and {@code pad} may be at most half the
 * window (so every window holds at least one real value). A NaN in a window makes its maximum NaN.
 *
 * <p>Backward sends each {@code dout} value to its window's maximum and zero elsewhere, adding
 * where overlapping windows ({@code stride < pool}) share a maximum. At a tie the first maximum in
 * row-major window order receives the gradient, as NumPy's {@code argmax}. The position is found
 * again in backward (the first element equal to the window's output), which keeps forward free of
 * branches; the training input is kept (not copied) until then.
 *
 * <p>Shapes: {@code x (N, C, H, W)} → {@code (N, C, OH, OW)} with {@code OH = floor((H + 2·pad −
 * poolH) / stride) + 1} ({@link ConvGeometry}).
 */
public final class Pooling implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Pooling";

    private final ConvGeometry geometry;
    private Parallelism parallelism = Parallelism.sequential();

    private Tensor x;
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
        float[] src = x.data();
        float[] dst = o.data();
        int parts = planes * oh * ow < 1 << 12 ? 1 : Math.min(parallelism.threads(), planes);
        parallelism.forEach(parts, p -> maxPool(src, dst, h, w, oh, ow,
                Parallelism.partStart(planes, parts, p), Parallelism.partStart(planes, parts, p + 1)));
        if (training) {
            this.x = x;
            out = o;
        }
        return o;
    }

    /** The maximum of each window of planes {@code [from, to)}; padding (outside the image) is skipped. */
    private void maxPool(float[] src, float[] dst, int h, int w, int oh, int ow, int from, int to) {
        int d = from * oh * ow;
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                int r0 = rowStart(y);
                int r1 = Math.min(h, y * geometry.stride() - geometry.pad() + geometry.kernelH());
                for (int xo = 0; xo < ow; xo++) {
                    int c0 = columnStart(xo);
                    int c1 = Math.min(w, xo * geometry.stride() - geometry.pad() + geometry.kernelW());
                    float max = Float.NEGATIVE_INFINITY;
                    for (int r = r0; r < r1; r++) {
                        for (int i = base + r * w + c0, end = base + r * w + c1; i < end; i++) {
                            max = Math.max(max, src[i]);
                        }
                    }
                    dst[d++] = max;
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
        if (x == null) {
            throw new IllegalStateException(TYPE + ": backward called before a training forward");
        }
        Shapes.requireShape(dout, out.shape(), TYPE + " backward dout");
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
        parallelism.forEach(parts, p -> {
            int from = Parallelism.partStart(planes, parts, p);
            int to = Parallelism.partStart(planes, parts, p + 1);
            Arrays.fill(dst, from * h * w, to * h * w, 0f);
            int d = from * oh * ow;
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++, d++) {
                        dst[firstMaximum(src, base, h, w, y, xo, max[d])] += g[d];
                    }
                }
            }
        });
        return dx;
    }

    /** Index in {@code src} of the first element of window (y, xo) equal to its maximum (argmax). */
    private int firstMaximum(float[] src, int base, int h, int w, int y, int xo, float max) {
        int r0 = rowStart(y);
        int r1 = Math.min(h, y * geometry.stride() - geometry.pad() + geometry.kernelH());
        int c0 = columnStart(xo);
        int c1 = Math.min(w, xo * geometry.stride() - geometry.pad() + geometry.kernelW());
        for (int r = r0; r < r1; r++) {
            for (int i = base + r * w + c0, end = base + r * w + c1; i < end; i++) {
                if (src[i] == max || src[i] != src[i]) {
                    return i;
                }
            }
        }
        return base + r0 * w + c0;
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
