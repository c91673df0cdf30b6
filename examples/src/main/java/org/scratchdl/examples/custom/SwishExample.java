package org.scratchdl.examples.custom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.scratchdl.data.DataLocator;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.Downloader;
import org.scratchdl.data.MnistData;
import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.AtomicFile;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Pooling;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingListener;

/**
 * The book's SimpleConvNet with {@link Swish} in place of both ReLUs, built, trained on MNIST,
 * saved, loaded back and checked, through the public API alone.
 *
 * <p>Run (after {@code mvn package}):
 * <pre>
 * java --add-modules jdk.incubator.vector -cp examples/target/scratchdl.jar \
 *     org.scratchdl.examples.custom.SwishExample [DATA_DIR|- [EPOCHS [TRAIN_LIMIT [MODEL_FILE [REPORT_FILE]]]]]
 * </pre>
 * {@code DATA_DIR} (or {@code -}: found through {@code $SCRATCHDL_DATA} or {@code ~/.cache/scratchdl},
 * else downloaded), {@code EPOCHS} (default 1), {@code TRAIN_LIMIT} (training images used, default
 * all 60,000), {@code MODEL_FILE} (default {@code swish-convnet.safetensors}), {@code REPORT_FILE}
 * (optional JSON report). It prints the model's summary, one line per epoch, {@code finalTestAccuracy}
 * and whether the reloaded model predicts exactly as the trained one; the exit status is 1 if it does
 * not.
 */
public final class SwishExample {
    /** Shape of one MNIST sample. */
    public static final int[] SAMPLE_SHAPE = {1, 28, 28};

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SwishExample() {
    }

    /**
     * What a run measured (also the layout of the JSON report).
     *
     * @param trainSamples training images used
     * @param testSamples test images scored
     * @param epochs per-epoch metrics, as the trainer reports them
     * @param finalTestAccuracy fraction of the test set the trained model classifies correctly
     * @param learnedBetas the final β of each Swish layer, in layer order
     * @param reloadedPredictionsIdentical whether the model loaded from the file gives exactly the
     *     same logits (bit for bit) on the whole test set as the trained model
     */
    public record Result(int trainSamples, int testSamples, List<EpochMetrics> epochs, double finalTestAccuracy,
                         List<Float> learnedBetas, boolean reloadedPredictionsIdentical) {
    }

    /**
     * SimpleConvNet's architecture with Swish activations: conv 30×5×5 → Swish → max pool 2×2 →
     * affine 4320→100 → Swish → affine 100→10, for {@code (N, 1, 28, 28)} input; weights
     * N(0, 0.01²) drawn from {@code new Random(seed)}, biases 0, β = 1.
     *
     * @param seed the seed of the generator the weights are drawn from
     * @return the untrained model, giving logits {@code (N, 10)}
     */
    public static Sequential createModel(long seed) {
        Random random = new Random(seed);
        return Sequential.of(
                Convolution.initialized(1, 30, 5, 1, 0, random, 0.01f),
                new Swish(),
                new Pooling(2, 2, 2, 0),
                Affine.initialized(30 * 12 * 12, 100, random, 0.01f),
                new Swish(),
                Affine.initialized(100, 10, random, 0.01f));
    }

    /**
     * Trains {@link #createModel(long) createModel(42)} with Adam (lr 0.001, batch 100), saves it to
     * {@code modelFile}, loads it back through {@link LayerRegistry#withInstalledProviders()} and
     * compares the two models' logits on the whole test set.
     *
     * @param data MNIST (or any data set of {@code (N, 1, 28, 28)} images with 10 classes)
     * @param epochs passes over the training images, at least 1
     * @param trainLimit use only the first {@code trainLimit} training images (at least 1)
     * @param modelFile where to save the model (replaced atomically)
     * @param log receives one line per epoch and a summary
     * @return what the run measured
     * @throws IOException if the model cannot be saved or loaded
     * @throws IllegalArgumentException if {@code epochs} or {@code trainLimit} is below 1
     */
    public static Result run(TrainTestSplit data, int epochs, int trainLimit, Path modelFile, PrintStream log)
            throws IOException {
        if (trainLimit < 1) {
            throw new IllegalArgumentException("train limit must be at least 1, got " + trainLimit);
        }
        Dataset train = data.train().slice(0, Math.min(trainLimit, data.train().size()));
        Dataset test = data.test();
        Sequential model = createModel(42);
        log.print(model.summary(new int[] {1, 1, 28, 28}));

        try (Parallelism threads = Parallelism.of(Parallelism.availableCores())) {
            model.useParallelism(threads);
            TrainingListener printer = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics m) {
                    log.printf("epoch %d: loss %.4f, train %.4f, test %.4f (%.1f s)%n",
                            m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testAccuracy(), m.seconds());
                }
            };
            Trainer trainer = new Trainer(model, new Adam(0.001), new TrainingConfig(epochs, 100, 42, 1000));
            List<EpochMetrics> history = trainer.fit(train, test, printer);

            // Save; the file names the layer types, so loading needs a registry that knows Swish.
            ModelFile.save(modelFile, model, SAMPLE_SHAPE, Map.of("dataset", "mnist", "activation", Swish.TYPE));
            Sequential loaded = ModelFile.load(modelFile, LayerRegistry.withInstalledProviders()).model();
            loaded.useParallelism(threads);

            Tensor before = model.predict(test.images(), 1000);
            Tensor after = loaded.predict(test.images(), 1000);
            boolean identical = Arrays.equals(before.data(), after.data());
            double accuracy = accuracy(before, test.labels());

            List<Float> betas = new ArrayList<>();
            model.layers().stream().filter(l -> l instanceof Swish)
                    .forEach(l -> betas.add(((Swish) l).beta().value().data()[0]));
            log.printf("finalTestAccuracy %.4f (%d test images, trained on %d); learned beta %s%n",
                    accuracy, test.size(), train.size(), betas);
            log.printf("saved to %s; the reloaded model's predictions are %s%n",
                    modelFile, identical ? "identical" : "DIFFERENT");
            return new Result(train.size(), test.size(), history, accuracy, betas, identical);
        }
    }

    /** Fraction of rows of {@code logits (N, K)} whose largest value is at the label's index. */
    private static double accuracy(Tensor logits, int[] labels) {
        int[] predicted = logits.argmaxRows();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /**
     * Writes {@code result} as indented JSON to {@code file}, atomically.
     *
     * @param file where to write the report (replaced if it exists)
     * @param result what {@link #run} measured
     * @throws IOException if the report cannot be written; {@code file} is then unchanged
     */
    public static void writeReport(Path file, Result result) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(result));
    }

    /**
     * Arguments: {@code [DATA_DIR|- [EPOCHS [TRAIN_LIMIT [MODEL_FILE [REPORT_FILE]]]]]}, see the class
     * description. Exits with status 2 when {@code EPOCHS} or {@code TRAIN_LIMIT} is not a whole number
     * of at least 1; with 1 and one line on standard error when MNIST can be neither found nor
     * downloaded, or a data file cannot be read; and with 1 if the reloaded model differs.
     *
     * @param args the arguments above
     * @throws IOException if the model or the report cannot be written
     */
    public static void main(String[] args) throws IOException {
        int status = commandLine(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * What {@link #main} does, returning the exit status instead of exiting.
     *
     * @param args as for {@link #main}
     * @param out where progress and results go
     * @param err where the usage line and error lines go
     * @return 0, or 2 for a bad {@code EPOCHS} or {@code TRAIN_LIMIT} (nothing loaded), or 1 when the
     *     data cannot be found, downloaded or read, or the reloaded model predicts differently
     * @throws IOException if the model or the report cannot be written
     */
    static int commandLine(String[] args, PrintStream out, PrintStream err) throws IOException {
        Path dataDir = args.length > 0 && !args[0].equals("-") ? Path.of(args[0]) : null;
        int epochs = args.length > 1 ? positiveOrZero(args[1]) : 1;
        int trainLimit = args.length > 2 ? positiveOrZero(args[2]) : Integer.MAX_VALUE;
        if (epochs < 1 || trainLimit < 1) {
            err.println("usage: SwishExample [DATA_DIR|- [EPOCHS [TRAIN_LIMIT [MODEL_FILE [REPORT_FILE]]]]]"
                    + " (EPOCHS and TRAIN_LIMIT are whole numbers of at least 1)");
            return 2;
        }
        Path modelFile = Path.of(args.length > 3 ? args[3] : "swish-convnet.safetensors");
        Path report = args.length > 4 ? Path.of(args[4]) : null;

        TrainTestSplit data;
        try {
            Path dir = DataLocator.fromEnvironment().locate(MnistDataset.MNIST, dataDir, new Downloader(out::println)
                    .withFolderArgument("DIR as DATA_DIR"));
            data = MnistData.load(dir);
        } catch (IOException e) {
            // one line, as the scratchdl program prints it: no stack trace for missing or broken data
            err.println("SwishExample: " + String.valueOf(e.getMessage()).replaceAll("[ \t]*\\R[ \t]*", " "));
            return 1;
        }
        Result result = run(data, epochs, trainLimit, modelFile, out);
        if (report != null) {
            writeReport(report, result);
        }
        return result.reloadedPredictionsIdentical() ? 0 : 1;
    }

    /** {@code text} as an int when it is a whole number of at least 1, else 0. */
    private static int positiveOrZero(String text) {
        try {
            return Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
