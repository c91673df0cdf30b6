package org.scratchdl.examples.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.TrainingListener;

/**
 * Prints training progress: a progress bar within each epoch when standard output is a terminal,
 * and one line per epoch with loss, train accuracy, test accuracy and seconds in any case.
 */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean terminal;
    private int epochs;
    private ProgressBar bar;

    ConsoleProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onTrainingStart(int firstEpoch, int epochs, int batchesPerEpoch) {
        this.epochs = epochs;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batchesPerEpoch, double loss) {
        if (!terminal) {
            return;
        }
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs))
                    .setInitialMax(batchesPerEpoch).setStyle(ProgressBarStyle.ASCII).setUnit(" batches", 1)
                    .continuousUpdate().build();
        }
        bar.stepTo(batch);
        bar.setExtraMessage(String.format("loss %.4f", loss));
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(line(m, epochs));
        out.flush();
    }

    /** {@code epoch  3/20  loss 0.0412  train acc 0.9871  test acc 0.9856  11.2 s}. */
    static String line(EpochMetrics m, int epochs) {
        int width = String.valueOf(epochs).length();
        return String.format("epoch %" + width + "d/%d  loss %.4f  train acc %.4f  test acc %.4f  %.1f s",
                m.epoch(), epochs, m.trainLoss(), m.trainAccuracy(), m.testAccuracy(), m.seconds());
    }
}
