package org.scratchdl.train;

/**
 * Hooks into {@link Trainer#fit}: progress bars, metrics files, checkpoints. All methods default to
 * nothing.
 */
public interface TrainingListener {

    /**
     * Before the first epoch of this run.
     *
     * @param firstEpoch the epoch about to start (1, or later when resuming)
     * @param epochs the total number of epochs
     * @param batchesPerEpoch mini-batches per epoch
     */
    default void onTrainingStart(int firstEpoch, int epochs, int batchesPerEpoch) {
    }

    /**
     * After each mini-batch's optimizer step; {@code batch} is 1-based.
     *
     * @param epoch 1-based epoch
     * @param batch the mini-batch within the epoch, 1 to {@code batchesPerEpoch}
     * @param batchesPerEpoch mini-batches per epoch
     * @param loss the mini-batch's mean cross-entropy (finite)
     */
    default void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
    }

    /**
     * After each epoch's evaluation.
     *
     * @param metrics what the epoch measured
     * @throws java.io.IOException if the listener fails to write something; training stops
     */
    default void onEpochEnd(EpochMetrics metrics) throws java.io.IOException {
    }
}
