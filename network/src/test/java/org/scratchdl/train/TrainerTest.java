package org.scratchdl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.data.Dataset;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

class TrainerTest {

    private static final SimpleConvNet.Config SMALL = new SimpleConvNet.Config(1, 8, 8, 4, 3, 1, 0, 16, 3, 0.1f);

    /** Three classes told apart by where a bright bar lies: learnable in a few epochs. */
    static Dataset bars(int n, long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.zeros(n, 1, 8, 8);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(3);
            for (int j = 0; j < 64; j++) {
                x.data()[i * 64 + j] = (float) (r.nextDouble() * 0.3);
            }
            int row = 1 + t[i] * 2 + r.nextInt(2);
            for (int c = 0; c < 8; c++) {
                x.data()[i * 64 + row * 8 + c] += 1f;
            }
        }
        return new Dataset(x, t, 3);
    }

    @Test
    void learnsASimpleTaskAndCountsEverySample() throws IOException {
        Sequential net = SimpleConvNet.create(SMALL, new Random(1));
        List<Integer> batchesSeen = new ArrayList<>();
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
                batchesSeen.add(batch);
            }
        };
        List<EpochMetrics> h = new Trainer(net, Optimizers.create("adam", 0.01), new TrainingConfig(5, 32, 3, 50))
                .fit(bars(250, 1), bars(120, 2), counter);
        assertEquals(5, h.size());
        assertEquals(5 * 8, batchesSeen.size(), "250 samples in batches of 32 is 8 batches, the last of 26");
        assertTrue(h.get(4).testAccuracy() > 0.9, "test accuracy " + h.get(4).testAccuracy());
        assertTrue(h.get(4).trainLoss() < h.get(0).trainLoss());
        assertEquals(Trainer.accuracy(net, bars(120, 2), 7), h.get(4).testAccuracy(), 1e-12);
    }

    @Test
    void sameSeedSameWeightsBitForBit() throws IOException {
        float[] a = train(7);
        float[] b = train(7);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.hashCode(a), Arrays.hashCode(train(8)));
    }

    private static float[] train(long seed) throws IOException {
        Sequential net = SimpleConvNet.create(SMALL, new Random(1));
        new Trainer(net, Optimizers.create("adam", 0.01), new TrainingConfig(2, 16, seed, 50)).fit(bars(100, 1), null);
        List<Parameter> ps = net.parameters();
        return ps.get(2).value().data().clone();
    }

    /** Same seed and thread count: every parameter bit for bit the same, with the work split over threads. */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void sameSeedAndThreadCountSameWeightsBitForBit(int threads) throws IOException {
        List<float[]> first = trainWithThreads(threads);
        List<float[]> second = trainWithThreads(threads);
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "parameter " + i);
        }
    }

    private static List<float[]> trainWithThreads(int threads) throws IOException {
        Sequential net = SimpleConvNet.create(SMALL, new Random(1));
        try (Parallelism parallelism = Parallelism.of(threads)) {
            net.useParallelism(parallelism);
            new Trainer(net, Optimizers.create("adam", 0.01), new TrainingConfig(2, 50, 9, 100)).fit(bars(300, 4), null);
        }
        List<float[]> values = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            values.add(p.value().data().clone());
        }
        return values;
    }

    @Test
    void permutationDependsOnlyOnSeedAndEpoch() {
        int[] p = Trainer.permutation(1000, 5, 3);
        assertArrayEquals(p, Trainer.permutation(1000, 5, 3));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertNotEquals(Arrays.toString(p), Arrays.toString(Trainer.permutation(1000, 5, 4)));
    }

    @Test
    void divergingLossStopsWithAClearMessage() {
        Sequential net = SimpleConvNet.create(SMALL, new Random(1));
        Dataset data = bars(64, 1);
        net.parameters().get(5).value().data()[2] = Float.NaN;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(net, Optimizers.create("sgd", 0.1), new TrainingConfig(1, 64, 1, 64)).fit(data, null));
        assertTrue(e.getMessage().contains("epoch 1, iteration 1") && e.getMessage().contains("learning rate"),
                e.getMessage());
    }

    @Test
    void everyOptimizerTrains() throws IOException {
        for (String name : Optimizers.NAMES) {
            Sequential net = SimpleConvNet.create(SMALL, new Random(1));
            double lr = name.equals("sgd") || name.equals("momentum") || name.equals("nesterov") ? 0.1 : 0.01;
            List<EpochMetrics> h = new Trainer(net, Optimizers.create(name, lr), new TrainingConfig(4, 16, 1, 50))
                    .fit(bars(200, 1), bars(100, 2));
            assertTrue(h.get(3).trainLoss() < h.get(0).trainLoss() * 0.9 || h.get(3).testAccuracy() > 0.9,
                    name + ": " + h);
        }
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(0, 10, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new TrainingConfig(1, 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", 0));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adam", -1));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("lion", 0.1));
    }

    /** A test set that does not fit the model is rejected before the first mini-batch, not after an epoch. */
    @Test
    void mismatchedTestSetIsRejectedBeforeTraining() {
        Sequential net = SimpleConvNet.create(SMALL, new Random(1));
        List<Integer> batches = new ArrayList<>();
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
                batches.add(batch);
            }
        };
        Dataset wrongSize = new Dataset(Tensor.zeros(4, 1, 12, 12), new int[4], 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(net, Optimizers.create("adam", 0.01), new TrainingConfig(1, 16, 1, 50))
                        .fit(bars(64, 1), wrongSize, counter));
        assertTrue(e.getMessage().startsWith("the test images (4, 1, 12, 12) do not fit the model"), e.getMessage());
        assertEquals(List.of(), batches);
    }
}
