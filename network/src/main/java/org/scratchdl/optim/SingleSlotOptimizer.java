package org.scratchdl.optim;

import java.util.List;
import java.util.Map;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/**
 * The common shape of the optimizers that keep one state tensor per parameter (Momentum's
 * velocity, AdaGrad's and RMSprop's squared-gradient sums): a learning rate, one hyper-parameter,
 * and an element-wise update that subclasses write as the book's formula.
 */
abstract class SingleSlotOptimizer implements Optimizer {
    private final double lr;
    private final double hyperParameter;
    private final String name;
    private final SlotState slots;
    private Parallelism parallelism = Parallelism.sequential();

    SingleSlotOptimizer(String name, String slot, double lr, double hyperParameter) {
        this.name = name;
        this.lr = Optimizer.checkLearningRate(lr);
        this.hyperParameter = hyperParameter;
        this.slots = new SlotState(slot);
    }

    /**
     * Updates elements {@code [from, to)} of one parameter in place: weights {@code w}, gradient
     * {@code g}, state {@code h}, all of the same length, with learning rate {@code rate} and
     * hyper-parameter {@code k}.
     */
    abstract void update(float[] w, float[] g, float[] h, int from, int to, float rate, float k);

    @Override
    public final void step(List<Parameter> parameters) {
        List<Tensor[]> state = slots.of(parameters);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            Tensor[] s = state.get(i);
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[] h = s[0].data();
            parallelism.forEachRange(w.length, (from, to) ->
                    update(w, g, h, from, to, (float) lr, (float) hyperParameter));
        }
    }

    @Override
    public final void useParallelism(Parallelism parallelism) {
        this.parallelism = parallelism;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final OptimizerState state() {
        return new OptimizerState(slots.export(), Map.of());
    }

    @Override
    public final void loadState(OptimizerState state, List<Parameter> parameters) {
        slots.importFrom(state.tensors(), parameters);
    }

    /**
     * Checks a hyper-parameter.
     *
     * @throws IllegalArgumentException naming the optimizer and the value when {@code valid} is false
     */
    static double check(String optimizer, String what, double value, boolean valid) {
        if (!valid) {
            throw new IllegalArgumentException(optimizer + ": " + what + " out of range: " + value);
        }
        return value;
    }
}
