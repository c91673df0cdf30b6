package org.scratchdl.layers;

import java.util.Arrays;
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
 * <p>The book unfolds the whole batch, {@code col = im2col(x)} {@code (N·OH·OW, C·FH·FW)}, computes
 * {@code col · W_colᵀ + b} {@code (N·OH·OW, FN)} with {@code W (FN, C, FH, FW)} flattened to
 * {@code W_col (FN, C·FH·FW)}, and transposes the result to {@code (N, FN, OH, OW)}. This layer
 * computes the same numbers one sample at a time, so each sample's columns stay in cache. Forward
 * works in the transposed order, which lands directly in NCHW without a transpose, on the
 * transposed columns {@code colᵀ_n (C·FH·FW, OH·OW)} ({@link Im2Col#im2colSampleTransposed},
 * cheaper to build); backward uses the book's {@code col_n (OH·OW, C·FH·FW)}
 * ({@link Im2Col#im2colSample}), for which both of its products need no transposed operand:
 *
 * <pre>
 *   forward:   out_n  = [W_col | b] · [colᵀ_n ; 1]      (FN, OH·OW)   = W_col · colᵀ_n + b
 *   backward:  dW_col = Σ_n dout_n · col_n              (FN, C·FH·FW)
 *              db     = Σ_n Σ_positions dout_n         (FN)
 *              dx_n   = col2im(dout_nᵀ · W_col)         (C, H, W)
 * </pre>
 *
 * <p>Both directions take the bias into a multiply. In forward, {@code colᵀ_n} carries one more
 * row, all ones, and the weights one more column, b: the bias is the last term of each output's
 * chain of fused multiply-adds, and {@code fma(b, 1, s)} rounds as {@code s + b} does, so the
 * output is the plain loop's, with no pass of its own over the output. The multiply reads
 * {@code [W_col | b]} transposed, {@code (C·FH·FW + 1, FN)}, copied from the parameters at each
 * forward: the filters' weights at one depth are then adjacent, which the matrix-multiply kernel
 * loads with fewer instructions ({@link org.scratchdl.tensor.VectorGemm}). Backward gets db from
 * the same multiply as dW: {@code col_n} carries one more column, all ones, so
 * {@code dout_n · [col_n | 1]} ends in the column {@code Σ_positions dout_n} (Caffe takes the bias
 * gradient as a product with a vector of ones too). Its sums are the ones a plain loop would add,
 * position after position from zero for each sample ({@code fma(g, 1, s)} rounds as {@code s + g}
 * does), and they cost nothing extra when C·FH·FW is not a multiple of the vector width (25 for the
 * book's 5×5 filters): they fill lanes the multiply computes anyway. When it is a multiple, the
 * extra column costs one more vector per row of the multiply.
 *
 * <p>Samples are split into {@link Parallelism#threads()} fixed parts processed in parallel; each
 * part sums its own dW and db, and the parts are added in order, so results are reproducible for a
 * given thread count. The columns are recomputed in backward rather than stored. The training
 * input is kept (not copied) until backward.
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
    private Tensor x;
    private Tensor out;
    private Tensor dx;
    private Workspace[] workspaces = new Workspace[0];
    /** Training's copy of {@code [W_col | b]ᵀ}, rebuilt by every training forward (see {@link #forward}). */
    private final float[] weightsAndBiasTransposed;

    /**
     * Per-part buffers: one sample's columns (either layout; in backward {@code C·FH·FW + 1} wide,
     * the last column ones) and their gradient, and partial {@code [dW | db]} ({@code FN} rows of
     * {@code C·FH·FW + 1}, the last column the current sample's db) and db.
     */
    private static final class Workspace {
        private float[] col = new float[0];
        private float[] dcol = new float[0];
        private float[] dWdb = new float[0];
        private float[] db = new float[0];

        void ensure(int positions, int kernelSize, int filters) {
            if (col.length != positions * (kernelSize + 1)) {
                col = new float[positions * (kernelSize + 1)];
                dcol = new float[positions * kernelSize];
            }
            if (dWdb.length != filters * (kernelSize + 1)) {
                dWdb = new float[filters * (kernelSize + 1)];
                db = new float[filters];
            }
        }
    }

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
        this.weightsAndBiasTransposed = new float[(kernelSize + 1) * filters];
        this.weight = new Parameter("weight", weight);
        this.bias = new Parameter("bias", bias);
    }

    /**
     * A convolution with weights drawn from N(0, std²) and zero biases (Saito 2016, §7.5).
     *
     * @param channels input channels C
     * @param filters number of filters FN (output channels)
     * @param kernel square kernel size FH = FW
     * @param stride step between windows, at least 1
     * @param pad zero padding on each border, at least 0
     * @param random the seeded generator to draw from
     * @param std standard deviation of the initial weights, e.g. 0.01
     * @return the layer, {@code W (FN, C, kernel, kernel)} and {@code b (FN)}
     * @throws IllegalArgumentException if {@code channels}, {@code filters}, {@code kernel} or
     *     {@code stride} is below 1, or {@code pad} below 0
     */
    public static Convolution initialized(int channels, int filters, int kernel, int stride, int pad,
                                          Random random, float std) {
        return new Convolution(Tensor.randn(random, std, filters, channels, kernel, kernel),
                Tensor.zeros(filters), stride, pad);
    }

    /**
     * Rebuilds a convolution (with zero weights) from its spec.
     *
     * @param spec a spec as {@link #spec()} writes it, with the integers {@code channels},
     *     {@code filters}, {@code kernelH}, {@code kernelW}, {@code stride} and {@code pad}
     * @return the layer, with zero weights and biases
     * @throws IllegalArgumentException if one of them is missing or not an {@code int}, or they are
     *     invalid as for the constructor
     */
    public static Convolution fromSpec(LayerSpec spec) {
        return new Convolution(
                Tensor.zeros(spec.getInt("filters"), spec.getInt("channels"), spec.getInt("kernelH"), spec.getInt("kernelW")),
                Tensor.zeros(spec.getInt("filters")), spec.getInt("stride"), spec.getInt("pad"));
    }

    /**
     * The window geometry (kernel, stride, pad).
     *
     * @return the geometry
     */
    public ConvGeometry geometry() {
        return geometry;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        int[] os = outputShape(input.shape());
        int n = os[0];
        int h = input.dim(2);
        int w = input.dim(3);
        int positions = os[2] * os[3];
        int sampleSize = channels * h * w;
        Tensor o = training ? Tensor.reuse(out, os) : Tensor.zeros(os);
        int parts = Math.max(1, Math.min(parallelism.threads(), n));
        Workspace[] ws = training ? workspaces(parts, positions) : null;
        int depth = kernelSize + 1;
        float[] wbT = training ? weightsAndBiasTransposed : new float[depth * filters];
        transposeWeightsAndBias(wbT);
        float[] xd = input.data();
        float[] od = o.data();
        parallelism.forEach(parts, p -> {
            // inference keeps no buffers between calls, and needs only the columns
            float[] col = ws != null ? ws[p].col : new float[depth * positions];
            Arrays.fill(col, kernelSize * positions, depth * positions, 1f);
            for (int i = Parallelism.partStart(n, parts, p); i < Parallelism.partStart(n, parts, p + 1); i++) {
                Im2Col.im2colSampleTransposed(xd, i * sampleSize, channels, h, w, geometry, 0f, col, 0);
                MatMul.gemm(true, false, filters, positions, depth, wbT, 0, col, 0, od, i * filters * positions,
                        false, Parallelism.sequential());
            }
        });
        if (training) {
            x = input;
            out = o;
        }
        return o;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Layer.requireBackwardInput(TYPE, out, dout);
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int positions = out.dim(2) * out.dim(3);
        int sampleSize = channels * h * w;
        int parts = Math.max(1, Math.min(parallelism.threads(), n));
        Workspace[] ws = workspaces(parts, positions);
        if (inputGradientNeeded) {
            dx = Tensor.reuse(dx, x.shape());
        }
        float[] xd = x.data();
        float[] g = dout.data();
        float[] wd = weight.value().data();
        float[] dxd = inputGradientNeeded ? dx.data() : null;
        int width = kernelSize + 1;
        parallelism.forEach(parts, p -> {
            Workspace work = ws[p];
            Arrays.fill(work.dWdb, 0f);
            Arrays.fill(work.db, 0f);
            for (int i = Parallelism.partStart(n, parts, p); i < Parallelism.partStart(n, parts, p + 1); i++) {
                int gOff = i * filters * positions;
                Im2Col.im2colSample(xd, i * sampleSize, channels, h, w, geometry, 0f, work.col, 0, width);
                for (int q = kernelSize; q < work.col.length; q += width) {
                    work.col[q] = 1f;
                }
                for (int f = kernelSize; f < work.dWdb.length; f += width) {
                    work.dWdb[f] = 0f; // this sample's db starts from zero; dW goes on accumulating
                }
                // one thread per multiply: a split of its depth (the positions) over threads would
                // round db and dW differently from the per-position sums
                MatMul.gemm(false, false, filters, width, positions, g, gOff, work.col, 0, work.dWdb, 0, true,
                        Parallelism.sequential());
                for (int f = 0; f < filters; f++) {
                    work.db[f] += work.dWdb[f * width + kernelSize];
                }
                if (dxd != null) {
                    MatMul.gemm(true, false, positions, kernelSize, filters, g, gOff, wd, 0, work.dcol, 0, false,
                            Parallelism.sequential());
                    Arrays.fill(dxd, i * sampleSize, (i + 1) * sampleSize, 0f);
                    Im2Col.col2imSample(work.dcol, 0, channels, h, w, geometry, dxd, i * sampleSize);
                }
            }
        });
        float[] dW = weight.grad().data();
        float[] db = bias.grad().data();
        for (int f = 0; f < filters; f++) {
            System.arraycopy(ws[0].dWdb, f * width, dW, f * kernelSize, kernelSize);
        }
        System.arraycopy(ws[0].db, 0, db, 0, db.length);
        for (int p = 1; p < parts; p++) {
            for (int f = 0; f < filters; f++) {
                addRow(ws[p].dWdb, f * width, dW, f * kernelSize, kernelSize);
                db[f] += ws[p].db[f];
            }
        }
        return inputGradientNeeded ? dx : null;
    }

    /**
     * Writes {@code [W_col | b]ᵀ} {@code (C·FH·FW + 1, FN)} into {@code wbT}: row p below C·FH·FW
     * holds column p of {@code W_col}, the last row the biases.
     */
    private void transposeWeightsAndBias(float[] wbT) {
        float[] wd = weight.value().data();
        float[] b = bias.value().data();
        for (int f = 0; f < filters; f++) {
            for (int p = 0; p < kernelSize; p++) {
                wbT[p * filters + f] = wd[f * kernelSize + p];
            }
            wbT[kernelSize * filters + f] = b[f];
        }
    }

    /**
     * {@code to[toOff + k] += from[fromOff + k]} for {@code k < length}. A method of its own, called
     * once per filter and part: the JIT compiles it within the first mini-batches, and the
     * once-per-batch {@link #backward} keeps no long loop.
     */
    private static void addRow(float[] from, int fromOff, float[] to, int toOff, int length) {
        for (int k = 0; k < length; k++) {
            to[toOff + k] += from[fromOff + k];
        }
    }

    /** The training workspaces, one per part, sized for {@code positions} output positions. */
    private Workspace[] workspaces(int parts, int positions) {
        if (workspaces.length != parts) {
            workspaces = new Workspace[parts];
            for (int p = 0; p < parts; p++) {
                workspaces[p] = new Workspace();
            }
        }
        for (Workspace w : workspaces) {
            w.ensure(positions, kernelSize, filters);
        }
        return workspaces;
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
