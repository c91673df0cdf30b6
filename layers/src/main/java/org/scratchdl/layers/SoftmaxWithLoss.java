package org.scratchdl.layers;

import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Softmax followed by the mean cross-entropy loss (Saito 2016, §5.6.3), computed through
 * log-softmax so that it stays exact for large logits:
 * {@code L = −(1/N) Σ_n (z[n, t_n] − max_k z[n,k] − log Σ_k exp(z[n,k] − max_k z[n,k]))}.
 * (The book's {@code log(y + 1e-7)} would cap the loss at about 16.1.)
 *
 * <p>Shapes: logits {@code (N, K)}, labels {@code N} integers in {@code [0, K)}. Backward gives
 * {@code (softmax(z) − onehot(t)) / N}, shape {@code (N, K)}.
 *
 * <p>Not thread-safe: {@link #forward} caches the softmax for {@link #backward}.
 */
public final class SoftmaxWithLoss {
    private Tensor probabilities;
    private int[] labels;
    private Tensor dx;

    /**
     * The mean cross-entropy of {@code logits} against {@code labels}; caches softmax for backward.
     *
     * @param logits {@code (N, K)}, one row of class scores per sample (not modified)
     * @param labels the correct class of each row, N values in {@code [0, K)} (copied, not modified)
     * @return the loss averaged over the N samples, in nats (natural logarithm)
     * @throws IllegalArgumentException if logits are not 2-D, N = 0 (an empty mini-batch), the label
     *     count differs from N, or a label is outside {@code [0, K)}
     */
    public float forward(Tensor logits, int[] labels) {
        checkLabels(logits, labels);
        int n = logits.dim(0);
        int k = logits.dim(1);
        probabilities = Tensor.reuse(probabilities, n, k);
        float[] z = logits.data();
        float[] p = probabilities.data();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total -= softmaxRow(z, p, i * k, k, labels[i]);
        }
        this.labels = labels.clone();
        return (float) (total / n);
    }

    /**
     * Writes the softmax of the row of {@code k} logits at {@code row} into {@code p} and returns
     * its log-probability of {@code label}, {@code z[label] − max − log Σ exp(z − max)}. A method of
     * its own, called once per row: the JIT compiles it within the first mini-batches, and the
     * once-per-batch {@link #forward} keeps no long loop.
     */
    private static double softmaxRow(float[] z, float[] p, int row, int k, int label) {
        float max = z[row];
        for (int j = 1; j < k; j++) {
            max = Math.max(max, z[row + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[row + j] - max);
            p[row + j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            p[row + j] = (float) (p[row + j] / sum);
        }
        return (z[row + label] - max) - Math.log(sum);
    }

    /**
     * dL/dlogits = {@code (softmax − onehot) / N}, shape {@code (N, K)}.
     *
     * @return dL/dlogits {@code (N, K)} for the last {@link #forward}'s logits and labels, a buffer the
     *     next call reuses
     * @throws IllegalStateException if {@link #forward} was not called
     */
    public Tensor backward() {
        if (probabilities == null) {
            throw new IllegalStateException("SoftmaxWithLoss: backward called before forward");
        }
        int n = probabilities.dim(0);
        int k = probabilities.dim(1);
        dx = Tensor.reuse(dx, n, k);
        float[] p = probabilities.data();
        float[] d = dx.data();
        float scale = 1f / n;
        for (int i = 0; i < n; i++) {
            gradientRow(p, d, i * k, k, labels[i], scale);
        }
        return dx;
    }

    /**
     * {@code d = (p − onehot(label)) · scale} for the row of {@code k} probabilities at
     * {@code row}.
     */
    private static void gradientRow(float[] p, float[] d, int row, int k, int label, float scale) {
        for (int j = 0; j < k; j++) {
            d[row + j] = (p[row + j] - (j == label ? 1f : 0f)) * scale;
        }
    }

    /**
     * Checks that {@code labels} fit {@code logits (N, K)}.
     *
     * @param logits {@code (N, K)} (not modified)
     * @param labels one class index per row (not modified)
     * @throws IllegalArgumentException if {@code logits} is not 2-D, N = 0, {@code labels} does not hold
     *     N values, or a label is outside {@code [0, K)} (the message names the first and its index)
     */
    public static void checkLabels(Tensor logits, int[] labels) {
        Shapes.requireRank(logits, 2, "SoftmaxWithLoss logits (N, K)");
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (n == 0) {
            throw new IllegalArgumentException("SoftmaxWithLoss: empty batch (N = 0)");
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("SoftmaxWithLoss: expected " + n + " labels for logits "
                    + logits.shapeString() + " but got " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("SoftmaxWithLoss: label " + labels[i] + " at index " + i
                        + " is outside [0, " + k + ")");
            }
        }
    }
}
