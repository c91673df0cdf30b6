package org.scratchdl.examples;

import java.nio.file.Path;
import java.util.Map;
import org.scratchdl.data.DataLocator;
import org.scratchdl.data.Downloader;
import org.scratchdl.data.MnistData;
import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.train.EpochMetrics;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingListener;

/**
 * Trains the book's SimpleConvNet through the public API alone: load data, build the model,
 * train, evaluate, save and load again.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp examples/target/scratchdl.jar
 * org.scratchdl.examples.TrainSimpleConvNet [DATA_DIR] [EPOCHS]}
 */
public final class TrainSimpleConvNet {
    private TrainSimpleConvNet() {
    }

    /**
     * Arguments: optional data folder (default: found or downloaded), optional epoch count (default 1).
     *
     * @param args {@code [DATA_DIR] [EPOCHS]}
     * @throws NumberFormatException if {@code EPOCHS} is not a whole number
     * @throws IllegalArgumentException if {@code EPOCHS} is below 1
     * @throws Exception a {@link java.io.IOException} if MNIST can be neither found nor downloaded, or
     *     a file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : null;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;

        // 1. Data: the four MNIST files, found (DATA_DIR, $SCRATCHDL_DATA, ~/.cache) or downloaded.
        Path dir = DataLocator.fromEnvironment().locate(MnistDataset.MNIST, dataDir, new Downloader(System.out::println)
                .withFolderArgument("DIR as DATA_DIR"));
        TrainTestSplit mnist = MnistData.load(dir);

        // 2. Model: conv 30×5×5 → ReLU → pool 2×2 → affine 100 → ReLU → affine 10, seeded weights.
        Sequential model = SimpleConvNet.create(42);
        System.out.print(model.summary(new int[] {1, 1, 28, 28}));

        try (Parallelism threads = Parallelism.of(Parallelism.availableCores())) {
            model.useParallelism(threads);

            // 3. Train with Adam (lr 0.001), batch 100, printing one line per epoch.
            TrainingListener printer = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics m) {
                    System.out.printf("epoch %d: loss %.4f, train %.4f, test %.4f (%.1f s)%n",
                            m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testAccuracy(), m.seconds());
                }
            };
            Trainer trainer = new Trainer(model, new Adam(0.001), new TrainingConfig(epochs, 100, 42, 1000));
            trainer.fit(mnist.train(), mnist.test(), printer);

            // 4. Evaluate and save; the file alone rebuilds the model.
            double accuracy = Trainer.accuracy(model, mnist.test(), 1000);
            Path file = Path.of("simpleconvnet.safetensors");
            ModelFile.save(file, model, new int[] {1, 28, 28}, Map.of("dataset", "mnist"));

            // 5. Load it back and check that it predicts the same.
            Sequential loaded = ModelFile.load(file, LayerRegistry.withBuiltins()).model();
            System.out.printf("test accuracy %.4f; reloaded model: %.4f (saved to %s)%n",
                    accuracy, Trainer.accuracy(loaded, mnist.test(), 1000), file);
        }
    }
}
