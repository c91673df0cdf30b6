package org.scratchdl.train;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy over the epoch's mini-batches, weighted by their size
 * @param trainAccuracy fraction of training samples classified correctly during the epoch (from the
 *     training forward passes, as Keras reports it)
 * @param testAccuracy fraction of test samples classified correctly after the epoch; NaN when
 *     training was given no test set
 * @param seconds wall time of the epoch's training, listeners' {@code onBatchEnd} included, without
 *     the evaluation
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {
}
