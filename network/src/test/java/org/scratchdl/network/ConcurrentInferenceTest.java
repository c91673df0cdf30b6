package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.data.Dataset;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;

/**
 * A trained model serves inference from 8 threads at once, and every result is bit for bit the
 * one a single thread computes: {@code forward(x, false)} and {@code predict} keep no state between
 * calls, and the compute threads of a shared {@link Parallelism} may be used by several callers.
 */
class ConcurrentInferenceTest {
    private static final int CALLERS = 8;
    private static final int CALLS_PER_CALLER = 12;
    private static final int INPUTS = 12;

    @ParameterizedTest(name = "compute threads {0}")
    @ValueSource(ints = {1, 2})
    void eightThreadsGetTheSingleThreadResultsBitForBit(int computeThreads) throws Exception {
        Random random = new Random(11);
        Sequential model = SimpleConvNet.create(new SimpleConvNet.Config(1, 28, 28, 30, 5, 1, 0, 100, 10, 0.1f), random);
        try (Parallelism parallelism = Parallelism.of(computeThreads)) {
            model.useParallelism(parallelism);
            train(model, random);

            List<Tensor> inputs = new ArrayList<>();
            List<float[]> inputCopies = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) {
                Tensor x = Tensor.randn(random, 1f, 1 + random.nextInt(6), 1, 28, 28);
                inputs.add(x);
                inputCopies.add(x.data().clone());
                expected.add(model.forward(x, false).data().clone());
            }
            Tensor all = Tensor.randn(random, 1f, 16, 1, 28, 28);
            float[] expectedPredict = model.predict(all, 7).data().clone();

            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < CALLERS; t++) {
                    long seed = 100 + t;
                    results.add(callers.submit(() -> {
                        Random pick = new Random(seed);
                        start.await();
                        int compared = 0;
                        for (int call = 0; call < CALLS_PER_CALLER; call++) {
                            if (call % 6 == 5) {
                                float[] got = model.predict(all, 7).data();
                                assertArrayEquals(expectedPredict, got, "predict, caller seed " + seed + ", call " + call);
                            } else {
                                int i = pick.nextInt(INPUTS);
                                float[] got = model.forward(inputs.get(i), false).data();
                                assertArrayEquals(expected.get(i), got, "input " + i + ", caller seed " + seed
                                        + ", call " + call);
                            }
                            compared++;
                        }
                        return compared;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get(5, TimeUnit.MINUTES);
                }
                assertEquals(CALLERS * CALLS_PER_CALLER, total);
            } finally {
                callers.shutdownNow();
            }
            for (int i = 0; i < INPUTS; i++) {
                assertArrayEquals(inputCopies.get(i), inputs.get(i).data(), "input " + i + " was modified");
            }
            assertTrue(distinctValues(expected.get(0)) > 1, "the logits are not constant");
        }
    }

    private static long distinctValues(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        long distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }

    /** A few Adam steps, so that the layers hold training caches when inference starts. */
    private static void train(Sequential model, Random random) throws IOException {
        int n = 40;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
        }
        Dataset data = new Dataset(Tensor.randn(random, 1f, n, 1, 28, 28), labels, 10);
        new Trainer(model, new Adam(0.001), new TrainingConfig(1, 20, 3, 40)).fit(data, null);
    }
}
