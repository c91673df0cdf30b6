package org.scratchdl.optim;

import java.util.List;
import org.scratchdl.layers.Parameter;

/** Stochastic gradient descent, {@code W ← W − lr · dW} (Saito 2016, §6.1.2). Stateless. */
public final class SGD implements Optimizer {
    private final double lr;

    /** @throws IllegalArgumentException unless {@code lr} is positive and finite */
    public SGD(double lr) {
        this.lr = Optimizer.checkLearningRate(lr);
    }

    @Override
    public void step(List<Parameter> parameters) {
        float rate = (float) lr;
        for (Parameter p : parameters) {
            float[] w = p.value().data();
            float[] g = p.grad().data();
            for (int i = 0; i < w.length; i++) {
                w[i] -= rate * g[i];
            }
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public OptimizerState state() {
        return OptimizerState.empty();
    }

    @Override
    public void loadState(OptimizerState state, List<Parameter> parameters) {
        // stateless
    }
}
