package org.scratchdl.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.ModelFile;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;
import org.scratchdl.train.TrainingDivergedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchdl train}: trains the book's SimpleConvNet (Saito 2016, §7.5). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train SimpleConvNet (conv 30×5×5 → ReLU → max pool 2×2 → affine 100 → ReLU → affine 10).",
                "Defaults are the book's recipe: Adam, learning rate 0.001, batch 100, 20 epochs."})
final class TrainCommand implements Callable<Integer> {

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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingConfig config = new TrainingConfig(epochs, batchSize, seed, 1000);
        Optimizer opt = Optimizers.create(optimizer, learningRate);
        if (trainLimit != null && trainLimit < 1) {
            throw new IllegalArgumentException("--train-limit must be at least 1, got " + trainLimit);
        }
        if (save != null) {
            CommonOptions.requireWritableTarget("--save", save);
        }
        if (report != null) {
            CommonOptions.requireWritableTarget("--report", report);
        }
        TrainTestSplit data = common.loadData(out);
        Dataset train = data.train();
        if (trainLimit != null && trainLimit < train.size()) {
            train = train.slice(0, trainLimit);
        }
        Dataset test = data.test();
        int[] sample = train.imageShape();
        SimpleConvNet.Config book = SimpleConvNet.Config.book();
        SimpleConvNet.Config arch = new SimpleConvNet.Config(sample[0], sample[1], sample[2], book.filters(),
                book.kernel(), book.stride(), book.pad(), book.hidden(), train.classes(), book.weightStd());
        Sequential model = SimpleConvNet.create(arch, new Random(seed));
        try (Parallelism parallelism = common.parallelism()) {
            model.useParallelism(parallelism);
            out.printf("training SimpleConvNet on %s: %d train / %d test images, %s lr %s, batch %d, %d epochs, %d threads%n",
                    common.dataset, train.size(), test.size(), opt.name(), learningRate, batchSize, epochs,
                    parallelism.threads());
            out.flush();
            TrainingReport reportWriter = new TrainingReport(report, new TrainingReport.Configuration(
                    common.dataset, "SimpleConvNet", opt.name(), learningRate, epochs, batchSize, seed,
                    parallelism.threads(), train.size(), test.size()), List.of());
            try {
                new Trainer(model, opt, config).fit(train, test,
                        new ConsoleProgress(out, System.console() != null), reportWriter);
            } catch (TrainingDivergedException e) {
                reportWriter.failed(e.getMessage());
                throw e;
            }
            reportWriter.completed();
            List<org.scratchdl.train.EpochMetrics> history = reportWriter.epochs();
            out.printf("final test accuracy %.4f%n", history.get(history.size() - 1).testAccuracy());
            if (save != null) {
                ModelFile.save(save, model, sample, Map.of("dataset", common.dataset));
                out.println("saved model to " + save);
            }
            if (report != null) {
                out.println("wrote report to " + report);
            }
        }
        return 0;
    }
}
