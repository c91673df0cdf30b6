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
 * <p>Layout: {@code {"configuration": {…}, "status": "running" | "completed" | "failed" | "interrupted",
 * "epochs": [{"epoch", "trainLoss", "trainAccuracy", "testAccuracy", "seconds"}, …],
 * "finalTestAccuracy": x | null, "totalSeconds": s, "error": null | "…"}}. A resumed run lists all
 * epochs, those before the checkpoint included, and names the checkpoint in
 * {@code configuration.resumedFrom}; {@code totalSeconds} is the wall time of this run only.
 *
 * <p>The first of {@link #completed()}, {@link #failed(String)} and {@link #interrupted()} sets the
 * final status; later calls, and later epochs, write nothing. The methods are synchronized, because
 * {@link #interrupted()} runs on a shutdown hook (Ctrl-C) while training may still be writing.
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
    private boolean finished;

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
    public synchronized void onEpochEnd(EpochMetrics metrics) throws IOException {
        if (finished) {
            return;
        }
        epochs.add(metrics);
        write("running", null, null);
    }

    /** The epochs so far. */
    synchronized List<EpochMetrics> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * Writes the final report.
     *
     * @return false if a final status was written before (an interruption, as the JVM shuts down)
     * @throws IOException if the report cannot be written (the old file stays as it was)
     */
    synchronized boolean completed() throws IOException {
        return finish("completed", epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).testAccuracy(), null);
    }

    /**
     * Records a failure (the epochs finished so far stay).
     *
     * @throws IOException if the report cannot be written (the old file stays as it was)
     */
    synchronized void failed(String error) throws IOException {
        finish("failed", null, error);
    }

    /**
     * Records that the process is being stopped (Ctrl-C, SIGTERM) before the run ended; the epochs
     * finished so far stay. Meant for a shutdown hook, so it does not throw: a failed write is part
     * of what it returns.
     *
     * @return one line saying what was recorded, for standard error; null if a final status was
     *     written before (the run had ended)
     */
    synchronized String interrupted() {
        String why = "stopped before the end of the run, after " + epochs.size()
                + (epochs.size() == 1 ? " epoch" : " epochs");
        try {
            if (!finish("interrupted", null, why)) {
                return null;
            }
            return file == null ? why : why + "; " + file + " says \"interrupted\"";
        } catch (IOException e) {
            return why + "; could not record it in " + file + ": " + e.getMessage();
        }
    }

    /** Writes the final status unless one was written before; returns whether it wrote. */
    private boolean finish(String status, Double finalAccuracy, String error) throws IOException {
        if (finished) {
            return false;
        }
        finished = true;
        write(status, finalAccuracy, error);
        return true;
    }

    private void write(String status, Double finalAccuracy, String error) throws IOException {
        if (file == null) {
            return;
        }
        Content c = new Content(configuration, status, epochs, finalAccuracy, (System.nanoTime() - start) / 1e9, error);
        AtomicFile.write(file, JSON.writeValueAsBytes(c));
    }
}
