package org.scratchdl.train;

/**
 * Training stopped because values stopped being finite: the loss became NaN or infinite at a
 * mini-batch, or (found at the end of an epoch) the weights or the model's test outputs did while the
 * loss was still finite. The message gives the epoch, the iteration, the last finite loss and a hint.
 */
public final class TrainingDivergedException extends RuntimeException {
    /** Version of the serialized form. */
    private static final long serialVersionUID = 1L;

    /** The 1-based epoch in which training diverged. */
    private final int epoch;
    /** The 1-based mini-batch within the epoch at which it was found. */
    private final int iteration;

    /**
     * @param epoch 1-based epoch
     * @param iteration 1-based mini-batch within the epoch
     * @param loss the non-finite loss
     * @param lastFiniteLoss the last finite loss seen, or NaN if none
     * @param learningRate the learning rate in use
     */
    public TrainingDivergedException(int epoch, int iteration, double loss, double lastFiniteLoss, double learningRate) {
        this("loss is " + loss, epoch, iteration, lastFiniteLoss, learningRate);
    }

    private TrainingDivergedException(String what, int epoch, int iteration, double lastFiniteLoss,
                                      double learningRate) {
        super("training diverged: " + what + " at epoch " + epoch + ", iteration " + iteration
                + " (last finite loss " + (Double.isNaN(lastFiniteLoss) ? "none" : String.format("%.6g", lastFiniteLoss))
                + "); try a lower learning rate than " + learningRate);
        this.epoch = epoch;
        this.iteration = iteration;
    }

    /**
     * The loss was still finite, but the weights after the last step are not, or the model's
     * outputs on the test set are not: found at the end of the epoch, before it is reported.
     *
     * @param what which values are not finite
     * @param epoch 1-based epoch
     * @param iteration 1-based mini-batch within the epoch after which it was found
     * @param lastFiniteLoss the last finite loss seen, or NaN if none
     * @param learningRate the learning rate in use
     * @return a new exception, its message starting {@code training diverged: <what> are not finite}
     */
    public static TrainingDivergedException nonFinite(String what, int epoch, int iteration, double lastFiniteLoss,
                                                      double learningRate) {
        return new TrainingDivergedException(what + " are not finite", epoch, iteration, lastFiniteLoss, learningRate);
    }

    /**
     * The 1-based epoch.
     *
     * @return the epoch in which training diverged
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The 1-based mini-batch within the epoch.
     *
     * @return the mini-batch at which divergence was found
     */
    public int iteration() {
        return iteration;
    }
}
