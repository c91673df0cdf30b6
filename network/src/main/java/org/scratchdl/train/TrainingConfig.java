package org.scratchdl.train;

/**
 * How to train.
 *
 * @param epochs passes over the training set, at least 1
 * @param batchSize samples per mini-batch, at least 1 (the last mini-batch of an epoch may be smaller)
 * @param seed seed of the per-epoch shuffles
 * @param evalBatchSize samples per forward pass when measuring test accuracy, at least 1
 */
public record TrainingConfig(int epochs, int batchSize, long seed, int evalBatchSize) {

    /**
     * @param epochs passes over the training set, at least 1
     * @param batchSize samples per mini-batch, at least 1
     * @param seed seed of the per-epoch shuffles
     * @param evalBatchSize samples per forward pass when measuring test accuracy, at least 1
     * @throws IllegalArgumentException if a count is below 1
     */
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("evaluation batch size must be at least 1, got " + evalBatchSize);
        }
    }

    /**
     * The book's recipe: 20 epochs, batch 100 (Saito 2016, §7.5), seed 1, evaluation batch 1000.
     *
     * @return {@code new TrainingConfig(20, 100, 1, 1000)}
     */
    public static TrainingConfig book() {
        return new TrainingConfig(20, 100, 1, 1000);
    }
}
