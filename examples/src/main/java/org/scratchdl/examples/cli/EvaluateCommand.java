package org.scratchdl.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.MnistDataset;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scratchdl evaluate}: test accuracy and confusion matrix of a saved model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a saved model's accuracy on the test set and its confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model file (safetensors).")
    Path model;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        common.check();
        CommonOptions.requireReadableFile("--model", model);
        ModelFile.LoadedModel loaded = ModelFile.load(model, LayerRegistry.withInstalledProviders());
        String trainedOn = loaded.metadata().get("dataset");
        if (common.dataset.equals("mnist") && trainedOn != null) {
            try {
                MnistDataset.fromId(trainedOn);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(model + " was trained on '" + trainedOn
                        + "' (its metadata says), which evaluate cannot load; " + e.getMessage(), e);
            }
            common.dataset = trainedOn;
        }
        Dataset test = common.loadData(out).test();
        int k = checkFits(loaded, test);
        try (Parallelism parallelism = common.parallelism()) {
            loaded.model().useParallelism(parallelism);
            Tensor logits = loaded.model().predict(test.images(), 1000);
            int[] predicted = logits.argmaxRows();
            long[][] confusion = new long[k][k];
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                confusion[test.labels()[i]][predicted[i]]++;
                if (predicted[i] == test.labels()[i]) {
                    correct++;
                }
            }
            out.printf("test accuracy %.4f (%d of %d)%n", (double) correct / test.size(), correct, test.size());
            out.println();
            out.println("confusion matrix (rows: true class, columns: predicted class)");
            StringBuilder header = new StringBuilder("true\\pred");
            for (int j = 0; j < k; j++) {
                header.append(String.format("%6d", j));
            }
            out.println(header);
            for (int i = 0; i < k; i++) {
                StringBuilder row = new StringBuilder(String.format("%9d", i));
                for (int j = 0; j < k; j++) {
                    row.append(String.format("%6d", confusion[i][j]));
                }
                out.println(row);
            }
        }
        return 0;
    }

    /**
     * Checks that the model takes the test images and scores every class they use.
     *
     * @return the number of classes K the model scores
     * @throws IllegalArgumentException naming the model's and the data's shapes or class counts
     */
    private int checkFits(ModelFile.LoadedModel loaded, Dataset test) {
        int[] images = test.imageShape();
        if (!Arrays.equals(loaded.inputShape(), images)) {
            throw new IllegalArgumentException(model + " takes images of shape " + Shapes.format(loaded.inputShape())
                    + " but the test set of " + common.dataset + " has images of shape " + Shapes.format(images));
        }
        int[] output = loaded.model().outputShape(Shapes.withBatch(1, images));
        if (output.length != 2) {
            throw new IllegalArgumentException(model + " outputs shape " + Shapes.format(output)
                    + " per batch; evaluate needs class scores (N, K)");
        }
        int k = output[1];
        if (k < test.classes()) {
            throw new IllegalArgumentException(model + " scores " + k + " classes but the test set of "
                    + common.dataset + " has " + test.classes());
        }
        return k;
    }
}
