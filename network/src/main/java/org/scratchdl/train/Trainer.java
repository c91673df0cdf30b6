package org.scratchdl.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.scratchdl.data.Dataset;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.SoftmaxWithLoss;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.tensor.Tensor;

/**
 * Mini-batch training with a seeded shuffle (Saito 2016, §7.5 and {@code common/trainer.py}, with
 * its two traps fixed): an epoch is one pass over a fresh permutation of all samples, the last
 * partial mini-batch included, and accuracy divides by the samples actually scored.
 *
 * <p>The permutation of epoch e depends only on (seed, e), so a run resumed at epoch e shuffles
 * exactly as an uninterrupted one. Buffers are reused between mini-batches. The optimizer steps
 * on the model's threads ({@link Sequential#parallelism()}). Not thread-safe.
 */
public final class Trainer {
    private final Sequential model;
    private final Optimizer optimizer;
    private final TrainingConfig config;
    private final SoftmaxWithLoss loss = new SoftmaxWithLoss();
    private final List<Parameter> parameters;

    /**
     * @param model the network; its output is logits {@code (N, K)}
     * @param optimizer updates the model's parameters
     * @param config epochs, batch size, seed
     */
    public Trainer(Sequential model, Optimizer optimizer, TrainingConfig config) {
        this.model = model;
        this.optimizer = optimizer;
        this.config = config;
        this.parameters = model.parameters();
    }

    /**
     * Trains all epochs from the first.
     *
     * @param train the training set, not modified
     * @param test the test set, scored after every epoch, not modified; null for none (test accuracy NaN)
     * @param listeners notified in this order; none is fine
     * @return the metrics of every epoch, in order
     * @throws TrainingDivergedException as {@link #fit(Dataset, Dataset, int, TrainingListener...)}
     * @throws IOException if a listener fails
     * @throws IllegalArgumentException if the training set is empty or the data do not fit the model
     */
    public List<EpochMetrics> fit(Dataset train, Dataset test, TrainingListener... listeners) throws IOException {
        return fit(train, test, 1, listeners);
    }

    /**
     * Trains epochs {@code firstEpoch .. config.epochs()}.
     *
     * <p>To continue an interrupted run, load its last checkpoint
     * ({@link org.scratchdl.io.Checkpoint#load}) and call this on a trainer built from the
     * checkpoint's model, optimizer and configuration with {@code firstEpoch = checkpoint.epoch() + 1};
     * an {@link org.scratchdl.io.CheckpointWriter} among the listeners writes a checkpoint after
     * every epoch.
     *
     * @param train the training set, not modified
     * @param test the test set, scored after every epoch, not modified; null for none (test accuracy NaN)
     * @param firstEpoch 1 for a new run, k+1 to resume after epoch k
     * @param listeners notified in this order; none is fine
     * @return the metrics of the epochs trained in this call
     * @throws TrainingDivergedException if the loss becomes NaN or infinite, or at the end of an epoch the
     *     weights or the test set's logits are not all finite
     * @throws IOException if a listener fails
     * @throws IllegalArgumentException if the data do not fit the model (sample shape, output not
     *     {@code (N, K)}, a label outside {@code [0, K)}), the training set is empty or
     *     {@code firstEpoch < 1}
     */
    public List<EpochMetrics> fit(Dataset train, Dataset test, int firstEpoch, TrainingListener... listeners)
            throws IOException {
        int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (firstEpoch < 1) {
            throw new IllegalArgumentException("first epoch must be at least 1, got " + firstEpoch);
        }
        checkFits(train, "training");
        if (test != null) {
            checkFits(test, "test");
        }
        optimizer.useParallelism(model.parallelism());
        int batch = Math.min(config.batchSize(), n);
        int batches = (n + batch - 1) / batch;
        for (TrainingListener l : listeners) {
            l.onTrainingStart(firstEpoch, config.epochs(), batches);
        }
        List<EpochMetrics> history = new ArrayList<>();
        Tensor images = train.images();
        int[] sampleShape = images.shape();
        Tensor xFull = null;
        Tensor xTail = null;
        int[] tFull = new int[batch];
        int[] tTail = new int[n % batch];
        double lastFinite = Double.NaN;
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            int[] order = permutation(n, config.seed(), epoch);
            double lossSum = 0;
            long correct = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * batch;
                int size = Math.min(batch, n - from);
                sampleShape[0] = size;
                Tensor x;
                int[] t;
                if (size == batch) {
                    xFull = Tensor.reuse(xFull, sampleShape);
                    x = xFull;
                    t = tFull;
                } else {
                    xTail = Tensor.reuse(xTail, sampleShape);
                    x = xTail;
                    t = tTail;
                }
                train.gather(order, from, x, t);
                Tensor logits = model.forward(x, true);
                double l = loss.forward(logits, t);
                if (!Double.isFinite(l)) {
                    throw new TrainingDivergedException(epoch, b + 1, l, lastFinite, optimizer.learningRate());
                }
                lastFinite = l;
                correct += countCorrect(logits, t);
                model.backward(loss.backward());
                optimizer.step(parameters);
                lossSum += l * size;
                for (TrainingListener listener : listeners) {
                    listener.onBatchEnd(epoch, b + 1, batches, l);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // A last step can blow the weights up while the loss that led to it was finite: catch it
            // here, before the epoch is reported or checkpointed.
            if (!allFinite(parameters)) {
                throw TrainingDivergedException.nonFinite("the weights", epoch, batches, lastFinite,
                        optimizer.learningRate());
            }
            double testAccuracy = Double.NaN;
            if (test != null) {
                Tensor testLogits = model.predict(test.images(), config.evalBatchSize());
                if (!allFinite(testLogits.data())) {
                    throw TrainingDivergedException.nonFinite("the outputs on the test set", epoch, batches,
                            lastFinite, optimizer.learningRate());
                }
                testAccuracy = (double) countCorrect(testLogits, test.labels()) / test.size();
            }
            EpochMetrics m = new EpochMetrics(epoch, lossSum / n, (double) correct / n, testAccuracy, seconds);
            history.add(m);
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(m);
            }
        }
        return history;
    }

    private static boolean allFinite(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            if (!allFinite(p.value().data())) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks before any training that the model takes the data's samples and that every label is
     * one of its output classes, so that a mismatch is not found only after an epoch.
     *
     * @throws IllegalArgumentException naming the data set, the shapes or the first bad label
     */
    private void checkFits(Dataset data, String which) {
        int[] shape = data.images().shape();
        shape[0] = 1;
        int[] out;
        try {
            out = model.outputShape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + which + " images " + data.images().shapeString()
                    + " do not fit the model: " + e.getMessage(), e);
        }
        if (out.length != 2) {
            throw new IllegalArgumentException("the model must output logits (N, K) for training, but gives "
                    + Tensor.zeros(out).shapeString());
        }
        int[] labels = data.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= out[1]) {
                throw new IllegalArgumentException("the " + which + " label " + labels[i] + " at index " + i
                        + " is outside the model's " + out[1] + " classes [0, " + out[1] + ")");
            }
        }
    }

    /**
     * The shuffle of epoch {@code epoch}: a Fisher–Yates permutation of {@code 0..n-1} drawn from a
     * generator seeded by {@code (seed, epoch)} only.
     *
     * @param n number of samples, at least 0
     * @param seed the run's shuffle seed ({@link TrainingConfig#seed()})
     * @param epoch the epoch, 1-based as in {@link #fit}
     * @return a new array holding each of {@code 0..n-1} once
     */
    public static int[] permutation(int n, long seed, int epoch) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    private static int countCorrect(Tensor logits, int[] labels) {
        int[] predicted = logits.argmaxRows();
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }

    /**
     * Fraction of {@code data} that {@code model} classifies correctly (inference forward, in
     * batches of {@code batchSize}); every sample counts, the last partial batch included.
     *
     * @param model the network, output logits {@code (N, K)}; its parameters are not modified
     * @param data the samples to score, not modified
     * @param batchSize samples per forward pass, at least 1
     * @return the fraction in [0, 1] (a label outside {@code [0, K)} counts as wrong), or NaN if
     *     {@code data} is empty
     * @throws IllegalArgumentException if {@code data} is not empty and {@code batchSize < 1}, a layer
     *     cannot take the images (naming the layer), or the output is not 2-D
     */
    public static double accuracy(Sequential model, Dataset data, int batchSize) {
        if (data.size() == 0) {
            return Double.NaN;
        }
        Tensor logits = model.predict(data.images(), batchSize);
        return (double) countCorrect(logits, data.labels()) / data.size();
    }
}
