package org.scratchdl.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.TrainingListener;

/**
 * A {@link TrainingListener} that saves a {@link Checkpoint} into a folder after every epoch, named
 * {@code checkpoint-epoch-0003.safetensors} (at least four digits), and keeps only the last
 * {@value #KEEP}: once the new file has been written and renamed into place, the checkpoint files
 * of epochs {@value #KEEP} or more before it are deleted. Files of later epochs (left by another
 * run in the same folder) are not touched; {@code scratchdl train} refuses such a folder before it
 * starts.
 *
 * <p>To resume, load the newest checkpoint with {@link Checkpoint#load} and pass its history as
 * {@code earlier} to a new writer, so that the next checkpoint again holds all epochs. Not
 * thread-safe.
 */
public final class CheckpointWriter implements TrainingListener {
    /** Number of checkpoints kept. */
    public static final int KEEP = 2;

    private static final Pattern FILE_NAME = Pattern.compile("checkpoint-epoch-(\\d{4,9})\\.safetensors");

    private final Path dir;
    private final Sequential model;
    private final int[] inputShape;
    private final Optimizer optimizer;
    private final CheckpointConfig config;
    private final List<EpochMetrics> history;
    private Path last;

    /**
     * @param dir the folder to write into; created (with its parents) if missing when the first
     *     checkpoint is written
     * @param model the network being trained (read after every epoch)
     * @param inputShape shape of one sample, e.g. {@code [1, 28, 28]}
     * @param optimizer the optimizer training it (its state is read after every epoch)
     * @param config the run's configuration, stored in every checkpoint
     * @param earlier the metrics of the epochs completed before this run (empty for a new run); copied
     * @throws NullPointerException if an argument is null
     */
    public CheckpointWriter(Path dir, Sequential model, int[] inputShape, Optimizer optimizer, CheckpointConfig config,
                            List<EpochMetrics> earlier) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.model = Objects.requireNonNull(model, "model");
        this.inputShape = inputShape.clone();
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.config = Objects.requireNonNull(config, "config");
        this.history = new ArrayList<>(earlier);
    }

    /**
     * Saves the checkpoint of the epoch just finished, then deletes the older ones.
     *
     * @param metrics the epoch just finished
     * @throws IllegalStateException if {@code metrics} is not the epoch after the last one known
     *     (pass the earlier epochs to the constructor when resuming)
     * @throws IllegalArgumentException if the earlier epochs given to the constructor are not epochs
     *     {@code 1..k} in order, or as {@link Checkpoint#save}
     * @throws IOException if the folder, the file or a deletion fails; the checkpoints written
     *     before stay intact
     */
    @Override
    public void onEpochEnd(EpochMetrics metrics) throws IOException {
        if (metrics.epoch() != history.size() + 1) {
            throw new IllegalStateException("checkpoint writer expected epoch " + (history.size() + 1) + " but got "
                    + metrics.epoch() + "; when resuming, give it the checkpoint's history");
        }
        history.add(metrics);
        Files.createDirectories(dir);
        Path file = file(dir, metrics.epoch());
        new Checkpoint(model, inputShape, optimizer, config, metrics.epoch(), history).save(file);
        last = file;
        for (Map.Entry<Integer, Path> old : existing(dir).entrySet()) {
            int epoch = old.getKey();
            if (epoch <= metrics.epoch() - KEEP) {
                Files.deleteIfExists(old.getValue());
            }
        }
    }

    /**
     * The checkpoint written last, or {@code null} before the first.
     *
     * @return the path of that checkpoint file, or {@code null}
     */
    public Path lastWritten() {
        return last;
    }

    /**
     * The checkpoint file of {@code epoch} in {@code dir}, e.g.
     * {@code dir/checkpoint-epoch-0003.safetensors}.
     *
     * @param dir the checkpoint folder
     * @param epoch the epoch, at least 1
     * @return the path (the file need not exist)
     * @throws IllegalArgumentException if {@code epoch < 1}
     */
    public static Path file(Path dir, int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
        }
        return dir.resolve(String.format(Locale.ROOT, "checkpoint-epoch-%04d.safetensors", epoch));
    }

    /**
     * The checkpoint files in {@code dir} by epoch, in ascending order; empty if the folder does not
     * exist. Only names of the form {@code checkpoint-epoch-<digits>.safetensors} count.
     *
     * @param dir the checkpoint folder
     * @return a new map from epoch number to regular file
     * @throws IOException if the folder cannot be listed
     */
    public static SortedMap<Integer, Path> existing(Path dir) throws IOException {
        SortedMap<Integer, Path> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    found.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        return found;
    }
}
