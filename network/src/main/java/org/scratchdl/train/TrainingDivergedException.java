package org.scratchdl.train;

/**
 * The loss became NaN or infinite; training stopped at that mini-batch. The message gives the
 * epoch, the iteration, the last finite loss and a hint.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
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
     */
    public static TrainingDivergedException nonFinite(String what, int epoch, int iteration, double lastFiniteLoss,
                                                      double learningRate) {
        return new TrainingDivergedException(what + " are not finite", epoch, iteration, lastFiniteLoss, learningRate);
    }

    /** The 1-based epoch. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based mini-batch within the epoch. */
    public int iteration() {
        return iteration;
    }
}
