package org.scratchdl.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.layers.Parameter;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/** Every optimizer gives the same bits on 1, 2 and 3 threads, on parameters large enough to be split. */
class OptimizerThreadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void sameBitsForEveryThreadCount(String name) {
        List<float[]> one = train(name, Parallelism.sequential());
        assertNotEquals(0f, one.get(0)[0], "the weights moved");
        for (int threads = 2; threads <= 3; threads++) {
            try (Parallelism parallelism = Parallelism.of(threads)) {
                List<float[]> many = train(name, parallelism);
                assertEquals(one.size(), many.size());
                for (int k = 0; k < one.size(); k++) {
                    assertArrayEquals(one.get(k), many.get(k), name + " on " + threads + " threads, array " + k);
                }
            }
        }
    }

    /**
     * Three steps on a 100,000-element parameter and a 7-element one; returns the large one's
     * weights followed by every state tensor of the optimizer.
     */
    private static List<float[]> train(String name, Parallelism parallelism) {
        Parameter big = new Parameter("w", Tensor.zeros(100_000));
        Parameter small = new Parameter("b", Tensor.zeros(7));
        List<Parameter> parameters = List.of(big, small);
        Optimizer optimizer = Optimizers.create(name, 0.01);
        optimizer.useParallelism(parallelism);
        Random random = new Random(3);
        for (int step = 0; step < 3; step++) {
            for (Parameter p : parameters) {
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) random.nextGaussian();
                }
            }
            optimizer.step(parameters);
        }
        List<float[]> result = new ArrayList<>();
        result.add(big.value().data().clone());
        for (Tensor t : optimizer.state().tensors().values()) {
            result.add(t.data().clone());
        }
        return result;
    }
}
