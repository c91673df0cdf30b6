package org.scratchdl.optim;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Tensor;

/**
 * Momentum SGD (Saito 2016, §6.1.4): {@code v ← momentum·v − lr·dW}, {@code W ← W + v}.
 */
public final class Momentum implements Optimizer {
    private final double lr;
    private final double momentum;
    private final SlotState slots = new SlotState("velocity");

    /** Learning rate {@code lr} and the default momentum = 0.9. */
    public Momentum(double lr) {
        this(lr, 0.9);
    }

    /** @throws IllegalArgumentException if lr is not positive and finite or momentum is out of range */
    public Momentum(double lr, double momentum) {
        this.lr = Optimizer.checkLearningRate(lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Momentum: momentum out of range: " + momentum);
        }
        this.momentum = momentum;
    }

    @Override
    public void step(List<Parameter> parameters) {
        float rate = (float) lr;
        float k = (float) momentum;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor[] s = slots.of(parameters, i);
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[] h = s[0].data();
            for (int j = 0; j < w.length; j++) {
                h[j] = k * h[j] - rate * g[j];
                w[j] += h[j];
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public String name() {
        return "momentum";
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
