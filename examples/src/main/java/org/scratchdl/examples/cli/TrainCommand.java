package org.scratchdl.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.Checkpoint;
import org.scratchdl.io.CheckpointConfig;
import org.scratchdl.io.CheckpointWriter;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scratchdl train}: trains the book's SimpleConvNet (Saito 2016, §7.5).
 *
 * <p>With {@code --checkpoint-dir DIR} a {@link Checkpoint} is written after every epoch (the last
 * two are kept); {@code --resume FILE} continues from one. When resuming, {@code --epochs} is still
 * the total: the checkpoint of epoch k continues with epochs k+1..N. Options left out are taken
 * from the checkpoint (including {@code --threads}, so that the result is bit for bit that of an
 * uninterrupted run); an option that contradicts it is a usage error. A checkpoint that has already
 * completed all N epochs trains nothing but still writes {@code --save} and {@code --report}; one
 * beyond N is a usage error.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train SimpleConvNet (conv 30×5×5 → ReLU → max pool 2×2 → affine 100 → ReLU → affine 10).",
                "Defaults are the book's recipe: Adam, learning rate 0.001, batch 100, 20 epochs; seed 1."})
final class TrainCommand implements Callable<Integer> {
    /**
     * Returned when a signal has started the JVM's shutdown as training ends. It is not what the
     * shell sees: {@code System.exit} then waits for the shutdown, whose status is 128 + the
     * signal's number (130 for Ctrl-C); this value says the same for Ctrl-C to callers of
     * {@link Main#run}.
     */
    private static final int INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, momentum, nesterov, adagrad, rmsprop or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the weight initialisation and the shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N training images only.")
    Integer trainLimit;

    @Option(names = "--save", paramLabel = "FILE", description = "Save the trained model (safetensors).")
    Path save;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report, updated after every epoch.")
    Path report;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write a checkpoint into DIR (created if missing) after every epoch; the last two are kept.")
    Path checkpointDir;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue from a checkpoint; --epochs stays the total. Options left out are taken from "
                    + "the checkpoint; contradicting ones are an error.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (trainLimit != null && trainLimit < 1) {
            throw new IllegalArgumentException("--train-limit must be at least 1, got " + trainLimit);
        }
        if (save != null) {
            CommonOptions.requireWritableTarget("--save", save);
        }
        if (report != null) {
            CommonOptions.requireWritableTarget("--report", report);
        }
        Checkpoint from = resume == null ? null : loadCheckpoint();
        TrainingConfig config = new TrainingConfig(epochs, batchSize, seed,
                from == null ? 1000 : from.config().training().evalBatchSize());
        Optimizer opt = from == null ? Optimizers.create(optimizer, learningRate) : from.optimizer();
        if (checkpointDir != null) {
            prepareCheckpointDir(from == null ? 0 : from.epoch());
        }
        TrainTestSplit data = common.loadData(out);
        Dataset train = data.train();
        if (trainLimit != null && trainLimit < train.size()) {
            train = train.slice(0, trainLimit);
        }
        Dataset test = data.test();
        int[] sample = train.imageShape();
        Sequential model = from == null ? newModel(train) : from.model();
        if (from != null) {
            requireSameData(from, train);
        }
        List<EpochMetrics> earlier = from == null ? List.of() : from.history();
        try (Parallelism parallelism = common.parallelism()) {
            model.useParallelism(parallelism);
            out.printf("training SimpleConvNet on %s: %d train / %d test images, %s lr %s, batch %d, %d epoch%s, %d thread%s,"
                    + " seed %d%n", common.dataset, train.size(), test.size(), opt.name(), learningRate, batchSize,
                    epochs, epochs == 1 ? "" : "s", parallelism.threads(), parallelism.threads() == 1 ? "" : "s", seed);
            if (from != null) {
                out.printf("resuming from %s after epoch %d of %d%s%n", resume, from.epoch(), epochs,
                        from.epoch() == epochs ? ": nothing left to train" : "");
                if (parallelism.threads() != from.config().threads()) {
                    out.printf("note: the checkpoint was written with %d threads; with %d the result may differ in the"
                            + " last bits from an uninterrupted run%n", from.config().threads(), parallelism.threads());
                }
            }
            out.flush();
            TrainingReport reportWriter = new TrainingReport(report, new TrainingReport.Configuration(
                    common.dataset, "SimpleConvNet", opt.name(), learningRate, epochs, batchSize, seed,
                    parallelism.threads(), train.size(), test.size(), resume == null ? null : resume.toString()),
                    earlier);
            List<TrainingListener> listeners = new ArrayList<>(List.of(
                    new ConsoleProgress(out, System.console() != null), reportWriter));
            CheckpointWriter checkpoints = null;
            if (checkpointDir != null) {
                checkpoints = new CheckpointWriter(checkpointDir, model, sample, opt, new CheckpointConfig(config,
                        common.datasetKind().id(), trainLimit == null ? 0 : trainLimit, train.size(), parallelism.threads()),
                        earlier);
                listeners.add(checkpoints);
            }
            // Ctrl-C (or SIGTERM) during training leaves the report saying so, not "running"
            Thread onStop = new Thread(() -> sayInterrupted(reportWriter), "scratchdl-report-on-stop");
            try {
                Runtime.getRuntime().addShutdownHook(onStop);
            } catch (IllegalStateException shuttingDown) {
                sayInterrupted(reportWriter);
                return INTERRUPTED;
            }
            boolean completed;
            try {
                new Trainer(model, opt, config).fit(train, test, earlier.size() + 1,
                        listeners.toArray(new TrainingListener[0]));
                if (save != null) {
                    ModelFile.save(save, model, sample, Map.of("dataset", common.dataset));
                }
                completed = reportWriter.completed();
            } catch (RuntimeException | IOException | Error e) {
                reportWriter.failed(Errors.describe(e));
                throw e;
            } finally {
                removeShutdownHook(onStop);
            }
            if (!completed) {
                return INTERRUPTED; // the JVM is shutting down; the report says "interrupted"
            }
            List<EpochMetrics> history = reportWriter.epochs();
            out.printf("final test accuracy %.4f%n", history.get(history.size() - 1).testAccuracy());
            if (checkpoints != null && checkpoints.lastWritten() != null) {
                out.println("last checkpoint " + checkpoints.lastWritten());
            }
            if (save != null) {
                out.println("saved model to " + save);
            }
            if (report != null) {
                out.println("wrote report to " + report);
            }
        }
        return 0;
    }

    /** Marks the report interrupted, unless the run had ended, and says so on standard error. */
    private static void sayInterrupted(TrainingReport reportWriter) {
        String line = reportWriter.interrupted();
        if (line != null) {
            System.err.println(line);
        }
    }

    /** Removes a hook added for the training loop; when the JVM is already shutting down, the hook runs. */
    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook has started or will start; it records the interruption
        }
    }

    private Sequential newModel(Dataset train) {
        return SimpleConvNet.create(SimpleConvNet.Config.book(train.imageShape(), train.classes()), new Random(seed));
    }

    /**
     * Loads {@code --resume}, checks the options given against it and takes over the ones left out.
     *
     * @throws ParameterException if an option contradicts the checkpoint, or {@code --epochs} is
     *     below the epochs it has completed
     */
    private Checkpoint loadCheckpoint() throws IOException {
        CommonOptions.requireReadableFile("--resume", resume);
        Checkpoint c = Checkpoint.load(resume, LayerRegistry.withInstalledProviders());
        CheckpointConfig stored = c.config();
        TrainingConfig training = stored.training();
        optimizer = agree("--optimizer", optimizer.toLowerCase(Locale.ROOT), c.optimizer().name());
        learningRate = agree("--lr", learningRate, c.optimizer().learningRate());
        batchSize = agree("--batch-size", batchSize, training.batchSize());
        seed = agree("--seed", seed, training.seed());
        common.dataset = agree("--dataset", common.datasetKind().id(), stored.dataset());
        trainLimit = agree("--train-limit", trainLimit, stored.trainLimit() == 0 ? null : stored.trainLimit());
        if (!given("--threads")) {
            common.threads = stored.threads();
        }
        if (!given("--epochs")) {
            epochs = training.epochs();
        } else if (epochs < c.epoch()) {
            throw new ParameterException(spec.commandLine(), "--epochs " + epochs + " is below the " + c.epoch()
                    + " epochs the checkpoint " + resume + " has completed; --epochs is the total");
        }
        return c;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The checkpoint's value, after checking that a value given on the command line is the same. */
    private <T> T agree(String option, T commandLine, T checkpoint) {
        if (given(option) && !Objects.equals(commandLine, checkpoint)) {
            throw new ParameterException(spec.commandLine(), option + " " + (commandLine == null ? "none" : commandLine)
                    + " contradicts the checkpoint " + resume + ", which has " + (checkpoint == null ? "none" : checkpoint)
                    + "; leave " + option + " out to continue with it");
        }
        return checkpoint;
    }

    /**
     * Checks and creates {@code --checkpoint-dir}: it must hold no checkpoints for a new run; when
     * resuming after epoch {@code resumedEpoch}, none of later epochs (another run's, which this
     * one would mix with or replace).
     */
    private void prepareCheckpointDir(int resumedEpoch) throws IOException {
        if (Files.exists(checkpointDir) && !Files.isDirectory(checkpointDir)) {
            throw new IOException("--checkpoint-dir " + checkpointDir + " is a file; give a folder");
        }
        SortedMap<Integer, Path> existing = CheckpointWriter.existing(checkpointDir);
        if (resumedEpoch > 0 && !existing.isEmpty() && existing.lastKey() > resumedEpoch) {
            throw new IOException("--checkpoint-dir " + checkpointDir + " holds checkpoints after epoch " + resumedEpoch
                    + " (the last is " + existing.get(existing.lastKey()).getFileName() + "), which this run would"
                    + " replace; choose another folder");
        }
        if (resumedEpoch == 0 && !existing.isEmpty()) {
            throw new IOException("--checkpoint-dir " + checkpointDir + " already holds checkpoints (the last is "
                    + existing.get(existing.lastKey()).getFileName() + "); continue with --resume FILE or choose"
                    + " another folder");
        }
        Files.createDirectories(checkpointDir);
    }

    /** The data must be those the checkpoint was trained on, for the run to continue the same training. */
    private void requireSameData(Checkpoint c, Dataset train) throws IOException {
        if (!Arrays.equals(c.inputShape(), train.imageShape())) {
            throw new IOException("the checkpoint " + resume + " takes images of shape " + Arrays.toString(c.inputShape())
                    + " but the data have " + Arrays.toString(train.imageShape()));
        }
        if (train.size() != c.config().trainSamples()) {
            throw new IOException("the checkpoint " + resume + " was trained on " + c.config().trainSamples()
                    + " training images but the data give " + train.size() + "; use the same data and --train-limit");
        }
    }
}
