package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchdl.io.CheckpointFixtures.SAMPLE;
import static org.scratchdl.io.CheckpointFixtures.assertSameTensors;
import static org.scratchdl.io.CheckpointFixtures.bars;
import static org.scratchdl.io.CheckpointFixtures.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchdl.data.Dataset;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingListener;

/** A run interrupted after an epoch and resumed from its checkpoint ends exactly as an uninterrupted one. */
class CheckpointResumeTest {
    private static final Dataset TRAIN = bars(230, 1);
    private static final Dataset TEST = bars(60, 2);
    private static final TrainingConfig THREE_EPOCHS = new TrainingConfig(3, 32, 7, 50);

    /** Stands for a crash or Ctrl-C right after an epoch's checkpoint was written. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("simulated interruption");
        }
    }

    @ParameterizedTest(name = "{0}, {1} thread(s)")
    @CsvSource({"adam, 0.01, 1", "adam, 0.01, 2", "momentum, 0.05, 1", "momentum, 0.05, 2"})
    void resumedRunEndsBitForBitLikeAnUninterruptedOne(String name, double lr, int threads, @TempDir Path tmp)
            throws IOException {
        CheckpointConfig config = new CheckpointConfig(THREE_EPOCHS, "bars", 0, TRAIN.size(), threads);
        try (Parallelism parallelism = Parallelism.of(threads)) {
            Path straightDir = tmp.resolve("straight");
            Sequential straight = network();
            straight.useParallelism(parallelism);
            Optimizer straightOptimizer = Optimizers.create(name, lr);
            List<EpochMetrics> straightHistory = new Trainer(straight, straightOptimizer, THREE_EPOCHS).fit(TRAIN, TEST,
                    new CheckpointWriter(straightDir, straight, SAMPLE, straightOptimizer, config, List.of()));

            Path dir = tmp.resolve("interrupted");
            Sequential first = network();
            first.useParallelism(parallelism);
            Optimizer firstOptimizer = Optimizers.create(name, lr);
            TrainingListener crashAfterFirstEpoch = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics metrics) {
                    throw new Interrupted();
                }
            };
            assertThrows(Interrupted.class, () -> new Trainer(first, firstOptimizer, THREE_EPOCHS).fit(TRAIN, TEST,
                    new CheckpointWriter(dir, first, SAMPLE, firstOptimizer, config, List.of()), crashAfterFirstEpoch));
            assertEquals(Set.of(1), CheckpointWriter.existing(dir).keySet());

            Checkpoint resumed = Checkpoint.load(CheckpointWriter.file(dir, 1), LayerRegistry.withBuiltins());
            assertNotSame(first, resumed.model());
            assertNotSame(firstOptimizer, resumed.optimizer());
            assertEquals(1, resumed.epoch());
            assertEquals(config, resumed.config());
            resumed.model().useParallelism(parallelism);
            List<EpochMetrics> rest = new Trainer(resumed.model(), resumed.optimizer(), resumed.config().training())
                    .fit(TRAIN, TEST, resumed.epoch() + 1, new CheckpointWriter(dir, resumed.model(),
                            resumed.inputShape(), resumed.optimizer(), resumed.config(), resumed.history()));

            assertSameTensors(ModelFile.tensors(straight), ModelFile.tensors(resumed.model()), "weights");
            assertSameTensors(straightOptimizer.state().tensors(), resumed.optimizer().state().tensors(),
                    "optimizer state");
            assertEquals(straightOptimizer.state().counters(), resumed.optimizer().state().counters());
            if (name.equals("adam")) {
                assertEquals(3L * 8, resumed.optimizer().state().counter("step"), "3 epochs of 8 mini-batches");
            }
            List<EpochMetrics> joined = new ArrayList<>(resumed.history());
            joined.addAll(rest);
            assertSameMetrics(straightHistory, joined);

            assertEquals(Set.of(2, 3), CheckpointWriter.existing(dir).keySet(), "only the last two are kept");
            SafeTensorsFile a = SafeTensors.read(CheckpointWriter.file(straightDir, 3));
            SafeTensorsFile b = SafeTensors.read(CheckpointWriter.file(dir, 3));
            assertSameTensors(a.tensors(), b.tensors(), "final checkpoints");
            assertTrue(a.tensors().containsKey("optimizer." + (name.equals("adam") ? "v.5" : "velocity.5")),
                    a.tensors().keySet().toString());
            Checkpoint last = Checkpoint.load(CheckpointWriter.file(dir, 3), LayerRegistry.withBuiltins());
            assertSameMetrics(straightHistory, last.history());
        }
    }

    @Test
    void aRunCanBeExtendedBeyondItsOriginalTotal(@TempDir Path tmp) throws IOException {
        TrainingConfig two = new TrainingConfig(2, 32, 7, 50);
        Sequential straight = network();
        Optimizer straightOptimizer = Optimizers.create("adam", 0.01);
        new Trainer(straight, straightOptimizer, THREE_EPOCHS).fit(TRAIN, null);

        Sequential shorter = network();
        Optimizer shorterOptimizer = Optimizers.create("adam", 0.01);
        CheckpointConfig config = new CheckpointConfig(two, "bars", 0, TRAIN.size(), 1);
        new Trainer(shorter, shorterOptimizer, two).fit(TRAIN, null,
                new CheckpointWriter(tmp, shorter, SAMPLE, shorterOptimizer, config, List.of()));
        Checkpoint c = Checkpoint.load(CheckpointWriter.file(tmp, 2), LayerRegistry.withBuiltins());
        assertTrue(Double.isNaN(c.history().get(1).testAccuracy()), "no test set: NaN survives the round trip");
        CheckpointConfig longer = c.config().withEpochs(3);
        new Trainer(c.model(), c.optimizer(), longer.training()).fit(TRAIN, null, c.epoch() + 1);
        assertSameTensors(ModelFile.tensors(straight), ModelFile.tensors(c.model()), "weights");
    }

    /** Everything but the wall time. */
    private static void assertSameMetrics(List<EpochMetrics> expected, List<EpochMetrics> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochMetrics e = expected.get(i);
            EpochMetrics a = actual.get(i);
            assertEquals(e.epoch(), a.epoch());
            assertEquals(e.trainLoss(), a.trainLoss(), 0.0, "train loss of epoch " + e.epoch());
            assertEquals(e.trainAccuracy(), a.trainAccuracy(), 0.0, "train accuracy of epoch " + e.epoch());
            assertEquals(e.testAccuracy(), a.testAccuracy(), 0.0, "test accuracy of epoch " + e.epoch());
        }
    }
}
