package org.scratchdl.examples.custom;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Layer;
import org.scratchdl.layers.LayerSpec;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * Swish activation with a learnable slope, {@code y = x · σ(β·x)} element-wise, where
 * {@code σ(z) = 1 / (1 + e^(−z))} is the logistic sigmoid (Ramachandran, Zoph and Le, "Searching
 * for Activation Functions", 2017, arXiv:1710.05941). Any input shape; the output has the same
 * shape. With β = 1 it is the SiLU; as β → ∞ it approaches ReLU, and at β = 0 it is {@code x / 2}.
 *
 * <p>This class is the worked example of a layer written outside the library (see the README,
 * "Writing your own layer"). It follows the {@link Layer} contract:
 *
 * <ul>
 *   <li>{@link #forward} with {@code training = true} keeps a copy of {@code x}, {@code s = σ(β·x)}
 *       and the β it used, for {@link #backward}; its output buffer is reused by the next training
 *       call. With {@code training = false} it caches nothing and returns a new tensor.
 *   <li>{@link #backward} never modifies {@code dout}. With {@code s = σ(β·x)} and
 *       {@code σ' = σ·(1 − σ)}:
 *       <ul>
 *         <li>{@code ∂y/∂x = s + β·x·s·(1 − s)}, so {@code dL/dx = dout · (s + β·x·s·(1 − s))};
 *         <li>{@code ∂y/∂β = x²·s·(1 − s)}, so {@code dL/dβ = Σ dout · x²·s·(1 − s)} over all
 *             elements of the batch, written into {@code beta}'s {@link Parameter#grad()}
 *             (overwriting the previous value).
 *       </ul>
 * </ul>
 *
 * <p>The sigmoid is evaluated in a form that never overflows: {@code 1 / (1 + e^(−z))} for
 * {@code z ≥ 0} and {@code e^z / (1 + e^z)} for {@code z < 0}. The sum for dL/dβ is accumulated in
 * double. Saved models keep β in the tensor {@code <index>.beta} and the constructor's initial β in
 * the configuration ({@link #spec()}).
 */
public final class Swish implements Layer {
    /** Type name in saved models and in a {@link org.scratchdl.layers.LayerRegistry}. */
    public static final String TYPE = "Swish";
    /** Configuration key of the initial β. */
    public static final String INITIAL_BETA = "initialBeta";

    private final float initialBeta;
    private final Parameter beta;

    // Training cache: filled by forward(x, true), read by backward.
    private Tensor x;
    private Tensor sigmoid;
    private Tensor out;
    private Tensor dx;
    private float cachedBeta;

    /** A Swish with β initialised to 1 (the SiLU at the start of training). */
    public Swish() {
        this(1f);
    }

    /**
     * A Swish with β initialised to {@code initialBeta}.
     *
     * @param initialBeta the starting value of the learnable β, finite
     * @throws IllegalArgumentException if {@code initialBeta} is NaN or infinite
     */
    public Swish(float initialBeta) {
        if (!Float.isFinite(initialBeta)) {
            throw new IllegalArgumentException(TYPE + ": initial beta must be finite, got " + initialBeta);
        }
        this.initialBeta = initialBeta;
        this.beta = new Parameter("beta", Tensor.full(initialBeta, 1));
    }

    /**
     * Rebuilds a Swish from its spec (β set to the initial value; a model file then loads the
     * trained β). This is the factory to register: {@code registry.register("Swish", Swish::fromSpec)}.
     *
     * @param spec a spec as {@link #spec()} writes it, with the initial β under {@value #INITIAL_BETA}
     * @return a new Swish whose β is that initial value
     * @throws IllegalArgumentException if the configuration has no finite number under
     *     {@value #INITIAL_BETA}
     */
    public static Swish fromSpec(LayerSpec spec) {
        return new Swish((float) spec.getDouble(INITIAL_BETA));
    }

    /**
     * The learnable β, shape {@code (1)}.
     *
     * @return the parameter itself (not a copy), which an optimizer updates in place
     */
    public Parameter beta() {
        return beta;
    }

    /**
     * {@code y = x · σ(β·x)} element-wise.
     *
     * @param x input of any shape
     * @param training whether to cache {@code x}, {@code σ(β·x)} and β for {@link #backward}
     * @return a tensor of the shape of {@code x}
     */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int[] shape = x.shape();
        float b = beta.value().data()[0];
        Tensor y = training ? Tensor.reuse(out, shape) : Tensor.zeros(shape);
        float[] in = x.data();
        float[] dst = y.data();
        float[] s = null;
        if (training) {
            this.x = Tensor.reuse(this.x, shape);
            System.arraycopy(in, 0, this.x.data(), 0, in.length);
            sigmoid = Tensor.reuse(sigmoid, shape);
            s = sigmoid.data();
        }
        for (int i = 0; i < in.length; i++) {
            float si = sigmoid(b * in[i]);
            dst[i] = in[i] * si;
            if (s != null) {
                s[i] = si;
            }
        }
        if (training) {
            out = y;
            cachedBeta = b;
        }
        return y;
    }

    /**
     * Back-propagates through the last training forward: returns
     * {@code dL/dx = dout · (s + β·x·s·(1 − s))} and writes {@code dL/dβ = Σ dout · x²·s·(1 − s)}
     * into {@code beta.grad()}, with {@code s = σ(β·x)}.
     *
     * @param dout dL/dy, the shape of the last training output (not modified)
     * @return dL/dx, the shape of {@code dout} (a buffer the next backward reuses)
     * @throws IllegalStateException if no training forward came before
     * @throws IllegalArgumentException if {@code dout} does not have the output's shape
     */
    @Override
    public Tensor backward(Tensor dout) {
        Layer.requireBackwardInput(TYPE, out, dout);
        dx = Tensor.reuse(dx, out.shape());
        float[] g = dout.data();
        float[] xs = x.data();
        float[] s = sigmoid.data();
        float[] d = dx.data();
        float b = cachedBeta;
        double dBeta = 0;
        for (int i = 0; i < g.length; i++) {
            float si = s[i];
            float slope = si * (1f - si); // σ'(βx)
            d[i] = g[i] * (si + b * xs[i] * slope);
            dBeta += (double) g[i] * xs[i] * xs[i] * slope;
        }
        beta.grad().data()[0] = (float) dBeta;
        return dx;
    }

    /** The same shape: Swish is element-wise. */
    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /** The single parameter {@code beta}, shape {@code (1)}. */
    @Override
    public List<Parameter> parameters() {
        return List.of(beta);
    }

    /** Type {@value #TYPE}, configuration {@code {"initialBeta": β₀}}. */
    @Override
    public LayerSpec spec() {
        return new LayerSpec(TYPE, Map.of(INITIAL_BETA, initialBeta));
    }

    @Override
    public String toString() {
        return TYPE + "(beta=" + beta.value().data()[0] + ")";
    }

    /** The logistic sigmoid in a form that cannot overflow. */
    static float sigmoid(float z) {
        if (z >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }
}
