package org.scratchdl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.TrainTestSplit;
import org.scratchdl.io.AtomicFile;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.SoftmaxWithLoss;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scratchdl bench}: training and inference throughput of the book's SimpleConvNet, the time
 * of each layer, and the peak heap. The same measurements as {@code torch_simpleconvnet.py}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure SimpleConvNet's training and inference throughput, with a per-layer table.",
                "Training: forward + backward + Adam step on mini-batches of 100.",
                "Inference: batches of 1000 over the test set, median of 5 passes."})
final class BenchCommand implements Callable<Integer> {
    private static final int BATCH = 100;
    private static final int INFERENCE_BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20",
            description = "Training iterations before timing (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200",
            description = "Timed training iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the results as JSON.")
    Path report;

    /**
     * One row of the per-layer table, milliseconds per mini-batch of 100; the rows come in the order
     * the layers run ({@link Sequential#executionSteps()}: a ReLU that runs inside the pooling before
     * it shares its row, {@code 2 Pooling + 1 ReLU}), named by their index in the model, then the
     * loss and the optimizer step, whose {@code backwardMs} is null (it has no backward pass).
     */
    record LayerTime(String layer, double forwardMs, Double backwardMs) {
    }

    /** The JSON report. */
    record Result(String system, int threads, int batchSize, int warmup, int iterations,
                  double trainImagesPerSecond, double inferenceImagesPerSecond, List<LayerTime> layers,
                  long peakHeapBytes) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be at least 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        common.check();
        if (report != null) {
            CommonOptions.requireWritableTarget("--report", report);
        }
        TrainTestSplit data = common.loadData(out);
        Dataset train = data.train();
        Dataset test = data.test();
        if (train.size() < BATCH) {
            throw new IllegalArgumentException("bench needs at least " + BATCH + " training images for its "
                    + "mini-batches, but the training set of " + common.dataset + " has " + train.size());
        }
        try (Parallelism parallelism = common.parallelism()) {
            Sequential model = SimpleConvNet.create(SimpleConvNet.Config.book(train.imageShape(), train.classes()),
                    new Random(1));
            model.useParallelism(parallelism);
            Adam adam = new Adam(0.001);
            adam.useParallelism(parallelism);
            Step step = new Step(model, adam, train);

            for (int i = 0; i < warmup; i++) {
                step.run(i, null);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                step.run(warmup + i, null);
            }
            double trainIps = (double) iterations * BATCH / ((System.nanoTime() - t0) / 1e9);

            int profiled = Math.min(iterations, 50);
            List<List<Integer>> steps = model.executionSteps();
            double[][] times = new double[steps.size() + 2][2];
            for (int i = 0; i < profiled; i++) {
                step.run(warmup + iterations + i, times);
            }

            double[] passes = new double[5];
            for (int p = 0; p < passes.length; p++) {
                long s = System.nanoTime();
                model.predict(test.images(), INFERENCE_BATCH);
                passes[p] = (System.nanoTime() - s) / 1e9;
            }
            Arrays.sort(passes);
            double inferenceIps = test.size() / passes[2];

            List<LayerTime> rows = new ArrayList<>();
            for (int k = 0; k < steps.size(); k++) {
                rows.add(new LayerTime(stepName(model, steps.get(k)), times[k][0] / profiled * 1e3,
                        times[k][1] / profiled * 1e3));
            }
            int lossRow = steps.size();
            rows.add(new LayerTime("SoftmaxWithLoss", times[lossRow][0] / profiled * 1e3,
                    times[lossRow][1] / profiled * 1e3));
            rows.add(new LayerTime("Adam step", times[lossRow + 1][0] / profiled * 1e3, null)); // no backward
            Result r = new Result("scratchdl (Java " + Runtime.version() + ")", parallelism.threads(), BATCH, warmup,
                    iterations, round(trainIps), round(inferenceIps), rows, peakHeap());

            out.printf("%s, %d threads%n", r.system(), r.threads());
            out.printf("train     %10.1f images/s (batch %d, %d iterations after %d warm-up)%n", trainIps, BATCH,
                    iterations, warmup);
            out.printf("inference %10.1f images/s (batch %d, median of 5 passes over %d)%n", inferenceIps,
                    INFERENCE_BATCH, test.size());
            out.println();
            out.printf("%-20s %12s %12s   (ms per mini-batch of %d, mean of %d)%n", "layer", "forward", "backward",
                    BATCH, profiled);
            for (LayerTime row : rows) {
                String backward = row.backwardMs() == null ? "-" : String.format("%.3f", row.backwardMs());
                out.printf("%-20s %12.3f %12s%n", row.layer(), row.forwardMs(), backward);
            }
            out.printf("%npeak heap used %.1f MB%n", r.peakHeapBytes() / 1e6);
            if (report != null) {
                AtomicFile.write(report, JSON.writeValueAsBytes(r));
                out.println("wrote report to " + report);
            }
        }
        return 0;
    }

    /** A step's row name: its layers' indices and types, e.g. {@code 2 Pooling + 1 ReLU}. */
    private static String stepName(Sequential model, List<Integer> step) {
        StringBuilder name = new StringBuilder();
        for (int l : step) {
            name.append(name.length() == 0 ? "" : " + ").append(l).append(' ')
                    .append(model.layers().get(l).spec().type());
        }
        return name.toString();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** One training step on mini-batch i of a fixed permutation, optionally timing each part. */
    private static final class Step {
        private final Sequential model;
        private final Adam adam;
        private final Dataset train;
        private final int[] order;
        private final SoftmaxWithLoss loss = new SoftmaxWithLoss();
        private final List<Parameter> parameters;
        private final Tensor x;
        private final int[] t = new int[BATCH];

        Step(Sequential model, Adam adam, Dataset train) {
            this.model = model;
            this.adam = adam;
            this.train = train;
            this.order = Trainer.permutation(train.size(), 0, 1);
            this.parameters = model.parameters();
            int[] shape = train.images().shape();
            shape[0] = BATCH;
            this.x = Tensor.zeros(shape);
        }

        void run(int i, double[][] times) {
            int batches = train.size() / BATCH;
            int from = (i % batches) * BATCH;
            train.gather(order, from, x, t);
            if (times == null) {
                loss.forward(model.forward(x, true), t);
                model.backward(loss.backward());
                adam.step(parameters);
                return;
            }
            int steps = model.executionSteps().size();
            Tensor h = x;
            for (int k = 0; k < steps; k++) {
                long s = System.nanoTime();
                h = model.forwardStep(k, h, true);
                times[k][0] += (System.nanoTime() - s) / 1e9;
            }
            int lossRow = steps;
            long s = System.nanoTime();
            loss.forward(h, t);
            times[lossRow][0] += (System.nanoTime() - s) / 1e9;
            s = System.nanoTime();
            Tensor g = loss.backward();
            times[lossRow][1] += (System.nanoTime() - s) / 1e9;
            for (int k = steps - 1; k >= 0; k--) {
                s = System.nanoTime();
                g = model.backwardStep(k, g);
                times[k][1] += (System.nanoTime() - s) / 1e9;
            }
            s = System.nanoTime();
            adam.step(parameters);
            times[lossRow + 1][0] += (System.nanoTime() - s) / 1e9;
        }
    }
}
