package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchdl.io.CheckpointFixtures.SAMPLE;
import static org.scratchdl.io.CheckpointFixtures.bars;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Parameter;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.OptimizerState;
import org.scratchdl.optim.SGD;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingDivergedException;

/** A run that diverges in epoch 2 keeps the epoch-1 checkpoint as it was, and writes none for epoch 2. */
class DivergedCheckpointTest {

    /** SGD that blows the weights up (to infinity) with the step it is told to. */
    private static final class BlowsUpAtStep implements Optimizer {
        private final SGD sgd = new SGD(0.05);
        private final int badStep;
        private int steps;

        BlowsUpAtStep(int badStep) {
            this.badStep = badStep;
        }

        @Override
        public void step(List<Parameter> parameters) {
            sgd.step(parameters);
            if (++steps == badStep) {
                parameters.get(0).value().data()[0] = Float.POSITIVE_INFINITY;
            }
        }

        @Override
        public double learningRate() {
            return sgd.learningRate();
        }

        @Override
        public String name() {
            return sgd.name();
        }

        @Override
        public OptimizerState state() {
            return sgd.state();
        }

        @Override
        public void loadState(OptimizerState state, List<Parameter> parameters) {
            sgd.loadState(state, parameters);
        }
    }

    @Test
    void lastGoodCheckpointStaysIntact(@TempDir Path dir) throws IOException {
        Sequential model = CheckpointFixtures.network();
        TrainingConfig config = new TrainingConfig(3, 40, 1, 100);
        // 120 samples in batches of 40: three steps an epoch; the last step of epoch 2 blows up
        Optimizer optimizer = new BlowsUpAtStep(6);
        CheckpointWriter writer = new CheckpointWriter(dir, model, SAMPLE, optimizer,
                new CheckpointConfig(config, "bars", 0, 120, 1), List.of());
        Path first = CheckpointWriter.file(dir, 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(model, optimizer, config).fit(bars(120, 1), bars(40, 2), writer));
        assertTrue(e.getMessage().contains("the weights are not finite at epoch 2, iteration 3"), e.getMessage());
        assertEquals(List.of(first), List.copyOf(CheckpointWriter.existing(dir).values()));
        Checkpoint saved = Checkpoint.load(first, LayerRegistry.withBuiltins());
        assertEquals(1, saved.epoch());
        for (Parameter p : saved.model().parameters()) {
            for (float v : p.value().data()) {
                assertTrue(Float.isFinite(v), "the epoch-1 checkpoint holds finite weights");
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary files");
        }
    }
}
