package org.scratchdl.layers;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.scratchdl.tensor.MatMul;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Fully connected layer, {@code out = x · W + b} (Saito 2016, §5.6.2), with {@code W (in, out)}
 * and {@code b (out)}.
 *
 * <p>Input of any rank {@code (N, …)} is flattened to {@code (N, in)} in row-major order (for NCHW,
 * the same order as PyTorch's {@code Flatten}). Backward: {@code dx = dout · Wᵀ} reshaped to the
 * input's shape, {@code dW = xᵀ · dout}, {@code db = Σ_rows dout}.
 */
public final class Affine implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "Affine";

    private final Parameter weight;
    private final Parameter bias;
    private final int in;
    private final int outSize;
    private Parallelism parallelism = Parallelism.sequential();
    private boolean inputGradientNeeded = true;

    private int[] xShape;
    private Tensor x2d;
    private Tensor out;
    private Tensor dx;

    /**
     * @param weight {@code (in, out)} (kept, not copied)
     * @param bias {@code (out)} (kept, not copied)
     * @throws IllegalArgumentException if the shapes do not fit together or a dimension of the weight
     *     is 0
     */
    public Affine(Tensor weight, Tensor bias) {
        Shapes.requireRank(weight, 2, TYPE + " weight (in, out)");
        this.in = weight.dim(0);
        this.outSize = weight.dim(1);
        if (in < 1 || outSize < 1) {
            throw new IllegalArgumentException(TYPE + ": expected at least 1 input and 1 output, but the weight "
                    + "(in, out) has shape " + weight.shapeString());
        }
        Shapes.requireShape(bias, new int[] {outSize}, TYPE + " bias");
        this.weight = new Parameter("weight", weight);
        this.bias = new Parameter("bias", bias);
    }

    /**
     * Weights from N(0, std²), zero biases (Saito 2016, §7.5).
     *
     * @param in input values per sample
     * @param out output values per sample
     * @param random the seeded generator to draw from (advanced)
     * @param std standard deviation of the initial weights, e.g. 0.01
     * @return the layer, {@code W (in, out)} and {@code b (out)}
     * @throws IllegalArgumentException if {@code in} or {@code out} is below 1
     */
    public static Affine initialized(int in, int out, Random random, float std) {
        return new Affine(Tensor.randn(random, std, in, out), Tensor.zeros(out));
    }

    /**
     * Rebuilds an affine layer (with zero weights) from its spec.
     *
     * @param spec a spec as {@link #spec()} writes it, with the integers {@code in} and {@code out}
     * @return the layer, with zero weights and biases
     * @throws IllegalArgumentException if {@code in} or {@code out} is missing, not an {@code int} or
     *     below 1
     */
    public static Affine fromSpec(LayerSpec spec) {
        return new Affine(Tensor.zeros(spec.getInt("in"), spec.getInt("out")), Tensor.zeros(spec.getInt("out")));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int[] os = outputShape(x.shape());
        int n = os[0];
        Tensor flat = x.reshape(n, in);
        Tensor o = training ? Tensor.reuse(out, n, outSize) : Tensor.zeros(n, outSize);
        MatMul.gemm(false, false, n, outSize, in, flat.data(), 0, weight.value().data(), 0, o.data(), 0,
                false, parallelism);
        addBiasToRows(o.data(), bias.value().data(), n, outSize);
        if (training) {
            xShape = x.shape();
            x2d = flat;
            out = o;
        }
        return o;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Layer.requireBackwardInput(TYPE, out, dout);
        int n = xShape[0];
        MatMul.gemm(true, false, in, outSize, n, x2d.data(), 0, dout.data(), 0, weight.grad().data(), 0,
                false, parallelism);
        sumRows(dout.data(), n, outSize, bias.grad().data());
        if (!inputGradientNeeded) {
            return null;
        }
        dx = Tensor.reuse(dx, xShape);
        MatMul.gemm(false, true, n, in, outSize, dout.data(), 0, weight.value().data(), 0, dx.data(), 0,
                false, parallelism);
        return dx;
    }

    /** {@code out[r][j] += b[j]} for each of {@code rows} rows. */
    private static void addBiasToRows(float[] out, float[] b, int rows, int cols) {
        for (int r = 0, off = 0; r < rows; r++, off += cols) {
            for (int j = 0; j < cols; j++) {
                out[off + j] += b[j];
            }
        }
    }

    /** {@code sums[j] = Σ_r m[r][j]}. */
    private static void sumRows(float[] m, int rows, int cols, float[] sums) {
        Arrays.fill(sums, 0f);
        for (int r = 0, off = 0; r < rows; r++, off += cols) {
            for (int j = 0; j < cols; j++) {
                sums[j] += m[off + j];
            }
        }
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length < 2) {
            throw new IllegalArgumentException(TYPE + ": expected input (N, " + in + ") or (N, …) with " + in
                    + " values per sample but got " + Shapes.format(inputShape));
        }
        long perSample = 1;
        for (int i = 1; i < inputShape.length; i++) {
            perSample *= inputShape[i];
        }
        if (perSample != in) {
            throw new IllegalArgumentException(TYPE + ": expected " + in + " input values per sample but got "
                    + perSample + " from shape " + Shapes.format(inputShape));
        }
        return new int[] {inputShape[0], outSize};
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public LayerSpec spec() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("in", in);
        c.put("out", outSize);
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
        return TYPE + "(" + in + "→" + outSize + ")";
    }
}
