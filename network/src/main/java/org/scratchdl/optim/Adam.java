package org.scratchdl.optim;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1; Saito 2016, §6.1.6), as PyTorch's {@code torch.optim.Adam}:
 * with step count t,
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code W ← W − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)}.
 */
public final class Adam implements Optimizer {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final SlotState slots = new SlotState("m", "v");
    private long t;

    /** lr with β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam(double lr) {
        this(lr, 0.9, 0.999, 1e-8);
    }

    /** @throws IllegalArgumentException if lr is not positive or a β is outside [0, 1) */
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
        t++;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float vCorrection = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float e = (float) eps;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor[] s = slots.of(parameters, i);
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[] m = s[0].data();
            float[] v = s[1].data();
            for (int j = 0; j < w.length; j++) {
                m[j] = b1 * m[j] + (1 - b1) * g[j];
                v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
                w[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) * vCorrection + e);
            }
        }
    }

    /** Number of steps taken. */
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
