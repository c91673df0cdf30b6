package org.scratchdl.io;

import java.util.Objects;
import org.scratchdl.train.TrainingConfig;

/**
 * How the run that wrote a {@link Checkpoint} trains, besides its optimizer: enough for a resumed
 * run to check that it continues the same training, or to take the settings over.
 *
 * @param training total epochs, batch size, shuffle seed and evaluation batch size
 * @param dataset name of the training data, e.g. {@code mnist} (free text; may be empty)
 * @param trainLimit the number of leading training samples the run was limited to, or 0 when it
 *     used the whole training set
 * @param trainSamples the number of training samples actually used per epoch, at least 1
 * @param threads compute threads the run used, at least 1 (for information: results are
 *     bit-for-bit reproducible for the same thread count)
 */
public record CheckpointConfig(TrainingConfig training, String dataset, int trainLimit, int trainSamples,
                               int threads) {

    /**
     * @param training total epochs, batch size, shuffle seed and evaluation batch size
     * @param dataset name of the training data (free text; may be empty)
     * @param trainLimit leading training samples the run was limited to, or 0 for none
     * @param trainSamples training samples used per epoch, at least 1
     * @param threads compute threads the run used, at least 1
     * @throws NullPointerException if {@code training} or {@code dataset} is null
     * @throws IllegalArgumentException if {@code trainLimit} is negative or a count is below 1
     */
    public CheckpointConfig {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(dataset, "dataset");
        if (trainLimit < 0) {
            throw new IllegalArgumentException("train limit must be 0 (none) or positive, got " + trainLimit);
        }
        if (trainSamples < 1) {
            throw new IllegalArgumentException("train samples must be at least 1, got " + trainSamples);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * The same configuration with {@code epochs} total epochs (to extend or shorten a resumed run).
     *
     * @param epochs the new total number of epochs, at least 1
     * @return a new configuration; this one is not modified
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public CheckpointConfig withEpochs(int epochs) {
        return new CheckpointConfig(new TrainingConfig(epochs, training.batchSize(), training.seed(),
                training.evalBatchSize()), dataset, trainLimit, trainSamples, threads);
    }
}
