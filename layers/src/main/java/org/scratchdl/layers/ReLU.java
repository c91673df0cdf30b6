package org.scratchdl.layers;

import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.ReluKernel;
import org.scratchdl.tensor.Tensor;

/**
 * Rectified linear unit, {@code y = max(0, x)} element-wise (Saito 2016, §5.5.1). Any shape.
 *
 * <p>Backward: {@code dx = dout} where {@code x > 0}, else 0 (the derivative at exactly 0 is 0, as
 * PyTorch). {@code dout} is never modified.
 *
 * <p>The element loops are {@link ReluKernel#forLength}'s for the tensor's size: vectorised when
 * the Vector API is available and the tensor has at least {@link ReluKernel#VECTOR_MIN_LENGTH}
 * elements, the same bits either way.
 */
public final class ReLU implements Layer {
    /** Type name in saved models. */
    public static final String TYPE = "ReLU";

    private Parallelism parallelism = Parallelism.sequential();
    private Tensor out;
    private Tensor dx;

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor o = training ? Tensor.reuse(out, x.shape()) : Tensor.zeros(x.shape());
        float[] src = x.data();
        float[] dst = o.data();
        ReluKernel kernel = ReluKernel.forLength(src.length);
        parallelism.forEachRange(src.length, (from, to) -> kernel.forward(src, dst, from, to));
        if (training) {
            out = o;
        }
        return o;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Layer.requireBackwardInput(TYPE, out, dout);
        dx = Tensor.reuse(dx, out.shape());
        float[] mask = out.data();
        float[] g = dout.data();
        float[] dst = dx.data();
        ReluKernel kernel = ReluKernel.forLength(g.length);
        parallelism.forEachRange(g.length, (from, to) -> kernel.backward(mask, g, dst, from, to));
        return dx;
    }

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
