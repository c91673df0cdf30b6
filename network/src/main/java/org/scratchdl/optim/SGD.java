package org.scratchdl.optim;

import java.util.List;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Parallelism;

/** Stochastic gradient descent, {@code W ← W − lr · dW} (Saito 2016, §6.1.2). Stateless. */
public final class SGD implements Optimizer {
    private final double lr;
    private Parallelism parallelism = Parallelism.sequential();

    /**
     * @param lr learning rate, positive and finite
     * @throws IllegalArgumentException unless {@code lr} is positive and finite
     */
    public SGD(double lr) {
        this.lr = Optimizer.checkLearningRate(lr);
    }

    @Override
    public void step(List<Parameter> parameters) {
        float rate = (float) lr;
        for (Parameter p : parameters) {
            float[] w = p.value().data();
            float[] g = p.grad().data();
            parallelism.forEachRange(w.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    w[i] -= rate * g[i];
                }
            });
        }
    }

    @Override
    public void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
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
