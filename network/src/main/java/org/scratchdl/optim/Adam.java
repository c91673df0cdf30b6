package org.scratchdl.optim;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.AdamKernel;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/**
 * Adam as the book's {@code common/optimizer.py} writes it (Saito 2016, §6.1.6), which is the
 * efficient form in §2 of Kingma &amp; Ba 2015: with step count t,
 * {@code lr_t = lr · sqrt(1−β2^t) / (1−β1^t)}, {@code m ← m + (1−β1)·(g − m)},
 * {@code v ← v + (1−β2)·(g² − v)}, {@code W ← W − lr_t · m / (sqrt(v) + ε)}, ε = 1e-7.
 * PyTorch's {@code torch.optim.Adam} computes the same update except that it adds its ε (1e-8) to
 * the bias-corrected {@code sqrt(v / (1−β2^t))}, so the two differ only while {@code v} is tiny.
 */
public final class Adam implements Optimizer {
    /** The element loop (vectorised when the Vector API is available, the same bits either way). */
    private static final AdamKernel KERNEL = AdamKernel.fastest();

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final SlotState slots = new SlotState("m", "v");
    private long t;
    private Parallelism parallelism = Parallelism.sequential();

    /**
     * lr with the book's β1 = 0.9, β2 = 0.999, ε = 1e-7.
     *
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-7);
    }

    /**
     * @param lr learning rate, positive and finite
     * @param beta1 decay rate β1 of the first moment m, in [0, 1)
     * @param beta2 decay rate β2 of the second moment v, in [0, 1)
     * @param eps ε added to {@code sqrt(v)} in the denominator, at least 0
     * @throws IllegalArgumentException if lr is not positive or a β is outside [0, 1) (also if lr is
     *     infinite, or eps negative or NaN)
     */
    public Adam(double lr, double beta1, double beta2, double eps) {
        this.lr = Optimizer.checkLearningRate(lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 ≤ β1, β2 < 1 and ε ≥ 0, got β1=" + beta1 + " β2=" + beta2
                    + " ε=" + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    @Override
    public void step(List<Parameter> parameters) {
        List<Tensor[]> state = slots.of(parameters);
        t++;
        float oneMinusBeta1 = 1 - (float) beta1;
        float oneMinusBeta2 = 1 - (float) beta2;
        float lrT = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float e = (float) eps;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor[] s = state.get(i);
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[] m = s[0].data();
            float[] v = s[1].data();
            parallelism.forEachRange(w.length, (from, to) ->
                    KERNEL.update(w, g, m, v, from, to, oneMinusBeta1, oneMinusBeta2, lrT, e));
        }
    }

    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
    }

    /**
     * Number of steps taken.
     *
     * @return the step count t of the bias correction, including steps restored by {@link #loadState}
     */
    public long steps() {
        return t;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(slots.export(), Map.of("step", t));
    }

    @Override
    public void loadState(OptimizerState state, List<Parameter> parameters) {
        long step = state.counter("step");
        slots.importFrom(state.tensors(), parameters);
        t = step;
    }
}
