package org.scratchdl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scratchdl.io.AtomicFile;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.TrainingListener;

/**
 * The JSON report of a training run ({@code --report FILE}), rewritten atomically after every
 * epoch so that an interrupted or diverged run keeps the epochs it finished.
 *
 * <p>Layout: {@code {"configuration": {…}, "status": "running" | "completed" | "failed",
 * "epochs": [{"epoch", "trainLoss", "trainAccuracy", "testAccuracy", "seconds"}, …],
 * "finalTestAccuracy": x | null, "totalSeconds": s, "error": null | "…"}}. A resumed run lists all
 * epochs, those before the checkpoint included, and names the checkpoint in
 * {@code configuration.resumedFrom}; {@code totalSeconds} is the wall time of this run only.
 */
final class TrainingReport implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was trained, and how; {@code resumedFrom} is the checkpoint continued, or null. */
    record Configuration(String dataset, String model, String optimizer, double learningRate, int epochs,
                         int batchSize, long seed, int threads, int trainSamples, int testSamples,
                         String resumedFrom) {
    }

    /** The file's content. */
    record Content(Configuration configuration, String status, List<EpochMetrics> epochs,
                   Double finalTestAccuracy, double totalSeconds, String error) {
    }

    private final Path file;
    private final Configuration configuration;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final long start = System.nanoTime();

    /**
     * @param file where to write, or {@code null} to write nothing
     * @param earlier epochs already trained before this run (when resuming)
     */
    TrainingReport(Path file, Configuration configuration, List<EpochMetrics> earlier) {
        this.file = file;
        this.configuration = configuration;
        this.epochs.addAll(earlier);
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) throws IOException {
        epochs.add(metrics);
        write("running", null, null);
    }

    /** The epochs so far. */
    List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    /** Writes the final report. */
    void completed() throws IOException {
        write("completed", epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).testAccuracy(), null);
    }

    /** Records a failure (the epochs finished so far stay). */
    void failed(String error) throws IOException {
        write("failed", null, error);
    }

    private void write(String status, Double finalAccuracy, String error) throws IOException {
        if (file == null) {
            return;
        }
        Content c = new Content(configuration, status, epochs, finalAccuracy, (System.nanoTime() - start) / 1e9, error);
        AtomicFile.write(file, JSON.writeValueAsBytes(c));
    }
}
