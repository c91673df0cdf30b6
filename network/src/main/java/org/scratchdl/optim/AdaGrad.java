package org.scratchdl.optim;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * AdaGrad (Duchi et al. 2011; Saito 2016, §6.1.5): {@code h ← h + dW²}, {@code W ← W − lr·dW / (sqrt(h) + ε)}.
 */
public final class AdaGrad implements Optimizer {
    private final double lr;
    private final double eps;
    private final SlotState slots = new SlotState("sumOfSquares");

    /** Learning rate {@code lr} and the default eps = 1e-7. */
    public AdaGrad(double lr) {
        this(lr, 1e-7);
    }

    /** @throws IllegalArgumentException if lr is not positive and finite or eps is out of range */
    public AdaGrad(double lr, double eps) {
        this.lr = Optimizer.checkLearningRate(lr);
        if (!(eps > 0)) {
            throw new IllegalArgumentException("AdaGrad: eps out of range: " + eps);
        }
        this.eps = eps;
    }

    @Override
    public void step(List<Parameter> parameters) {
        float rate = (float) lr;
        float k = (float) eps;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor[] s = slots.of(parameters, i);
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[] h = s[0].data();
            for (int j = 0; j < w.length; j++) {
                h[j] += g[j] * g[j];
                w[j] -= rate * g[j] / ((float) Math.sqrt(h[j]) + k);
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(slots.export(), Map.of());
    }

    @Override
    public void loadState(OptimizerState state, List<Parameter> parameters) {
        slots.importFrom(state.tensors(), parameters);
    }
}
