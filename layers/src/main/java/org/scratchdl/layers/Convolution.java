package org.scratchdl.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.scratchdl.tensor.ConvGeometry;
import org.scratchdl.tensor.Im2Col;
import org.scratchdl.tensor.MatMul;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, no kernel flip) over NCHW input, built on im2col (Saito
 * 2016, §7.4.3).
 *
 * <p>Forward: {@code col = im2col(x)} {@code (N·OH·OW, C·FH·FW)};
 * {@code out = col · W_colᵀ + b} {@code (N·OH·OW, FN)}, reshaped to {@code (N, OH, OW, FN)} and
 * transposed to {@code (N, FN, OH, OW)}, where {@code W (FN, C, FH, FW)} is flattened to
 * {@code W_col (FN, C·FH·FW)}.
 *
 * <p>Backward, with {@code dout} brought to {@code (N·OH·OW, FN)}: {@code db = Σ_rows dout},
 * {@code dW_col = doutᵀ · col}, {@code dcol = dout · W_col}, {@code dx = col2im(dcol)}.
 */
public final class Convolution implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Convolution";

    private final Parameter weight;
    private final Parameter bias;
    private final ConvGeometry geometry;
    private final int filters;
    private final int channels;
    private final int kernelSize;
    private Parallelism parallelism = Parallelism.sequential();
    private boolean inputGradientNeeded = true;

    // Training cache and reused buffers.
    private int[] xShape;
    private Tensor col;
    private Tensor out2d;
    private Tensor out;
    private Tensor dout2d;
    private Tensor dcol;
    private Tensor dx;

    /**
     * A convolution with the given weights.
     *
     * @param weight filters {@code (FN, C, FH, FW)} (kept, not copied)
     * @param bias {@code (FN)} (kept, not copied)
     * @param stride step between windows, at least 1
     * @param pad zero padding on each border, at least 0
     * @throws IllegalArgumentException if the shapes do not fit together, a dimension of the weight
     *     is 0, or stride/pad are invalid (the message starts with the layer type)
     */
    public Convolution(Tensor weight, Tensor bias, int stride, int pad) {
        Shapes.requireRank(weight, 4, TYPE + " weight (FN, C, FH, FW)");
        this.filters = weight.dim(0);
        this.channels = weight.dim(1);
        if (filters < 1 || channels < 1) {
            throw new IllegalArgumentException(TYPE + ": expected at least 1 filter and 1 input channel, but the "
                    + "weight (FN, C, FH, FW) has shape " + weight.shapeString());
        }
        Shapes.requireShape(bias, new int[] {filters}, TYPE + " bias");
        try {
            this.geometry = new ConvGeometry(weight.dim(2), weight.dim(3), stride, pad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + ": " + e.getMessage(), e);
        }
        this.kernelSize = channels * weight.dim(2) * weight.dim(3);
        this.weight = new Parameter("weight", weight);
        this.bias = new Parameter("bias", bias);
    }

    /**
     * A convolution with weights drawn from N(0, std²) and zero biases (Saito 2016, §7.5).
     *
     * @param channels input channels C
     * @param filters number of filters FN (output channels)
     * @param kernel square kernel size FH = FW
     * @param random the seeded generator to draw from
     * @param std standard deviation of the initial weights, e.g. 0.01
     */
    public static Convolution initialized(int channels, int filters, int kernel, int stride, int pad,
                                          Random random, float std) {
        return new Convolution(Tensor.randn(random, std, filters, channels, kernel, kernel),
                Tensor.zeros(filters), stride, pad);
    }

    /** Rebuilds a convolution (with zero weights) from its spec. */
    public static Convolution fromSpec(LayerSpec spec) {
        return new Convolution(
                Tensor.zeros(spec.getInt("filters"), spec.getInt("channels"), spec.getInt("kernelH"), spec.getInt("kernelW")),
                Tensor.zeros(spec.getInt("filters")), spec.getInt("stride"), spec.getInt("pad"));
    }

    /** The window geometry (kernel, stride, pad). */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int[] outShape = outputShape(x.shape());
        int n = outShape[0];
        int oh = outShape[2];
        int ow = outShape[3];
        int rows = n * oh * ow;
        Tensor c = Im2Col.im2col(x, geometry, 0f, training ? col : null);
        Tensor o2 = training ? Tensor.reuse(out2d, rows, filters) : Tensor.zeros(rows, filters);
        MatMul.gemm(false, true, rows, filters, kernelSize, c.data(), 0, weight.value().data(), 0,
                o2.data(), 0, false, parallelism);
        addBiasToRows(o2.data(), bias.value().data(), rows, filters);
        Tensor o = o2.reshape(n, oh, ow, filters).transposeInto(training ? out : null, 0, 3, 1, 2);
        if (training) {
            xShape = x.shape();
            col = c;
            out2d = o2;
            out = o;
        }
        return o;
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (xShape == null) {
            throw new IllegalStateException(TYPE + ": backward called before a training forward");
        }
        Shapes.requireShape(dout, out.shape(), TYPE + " backward dout");
        int rows = col.dim(0);
        dout2d = dout.transposeInto(dout2d, 0, 2, 3, 1).reshape(rows, filters);
        sumRows(dout2d.data(), rows, filters, bias.grad().data());
        MatMul.gemm(true, false, filters, kernelSize, rows, dout2d.data(), 0, col.data(), 0,
                weight.grad().data(), 0, false, parallelism);
        if (!inputGradientNeeded) {
            return null;
        }
        dcol = Tensor.reuse(dcol, rows, kernelSize);
        MatMul.gemm(false, false, rows, kernelSize, filters, dout2d.data(), 0, weight.value().data(), 0,
                dcol.data(), 0, false, parallelism);
        dx = Im2Col.col2im(dcol, xShape, geometry, dx);
        return dx;
    }

    /** {@code out[r][j] += b[j]} for each of {@code rows} rows. */
    static void addBiasToRows(float[] out, float[] b, int rows, int cols) {
        for (int r = 0, off = 0; r < rows; r++, off += cols) {
            for (int j = 0; j < cols; j++) {
                out[off + j] += b[j];
            }
        }
    }

    /** {@code sums[j] = Σ_r m[r][j]}. */
    static void sumRows(float[] m, int rows, int cols, float[] sums) {
        java.util.Arrays.fill(sums, 0f);
        for (int r = 0, off = 0; r < rows; r++, off += cols) {
            for (int j = 0; j < cols; j++) {
                sums[j] += m[off + j];
            }
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException(TYPE + ": expected NCHW input (N, " + channels + ", H, W) but got "
                    + Shapes.format(inputShape));
        }
        if (inputShape[1] != channels) {
            throw new IllegalArgumentException(TYPE + ": expected " + channels + " input channels, (N, " + channels
                    + ", H, W), but got " + Shapes.format(inputShape));
        }
        try {
            return geometry.outputShape(inputShape, filters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + " (" + geometry + ") on input " + Shapes.format(inputShape)
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public LayerSpec spec() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("channels", channels);
        c.put("filters", filters);
        c.put("kernelH", geometry.kernelH());
        c.put("kernelW", geometry.kernelW());
        c.put("stride", geometry.stride());
        c.put("pad", geometry.pad());
        return new LayerSpec(TYPE, c);
    }

    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    @Override
    public String toString() {
        return TYPE + "(" + channels + "→" + filters + ", " + geometry + ")";
    }
}
