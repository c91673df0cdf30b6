package org.scratchdl.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchdl.tensor.Tensor;

/**
 * {@link SoftmaxWithLoss} pinned bit for bit to its documented formula, evaluated here in plain
 * loops: per row, {@code max} in float, {@code e_j = exp(z_j − max)} and their sum in double,
 * {@code p_j = (float) ((float) e_j / sum)}, the loss {@code −(1/N) Σ (z[t] − max − log sum)} in
 * double, and the gradient {@code (p − onehot(t)) · (1/N)} in float.
 */
class SoftmaxWithLossTest {

    @Test
    void lossProbabilitiesAndGradientAreTheFormulaBitForBit() {
        int n = 37;
        int k = 10;
        Random random = new Random(4);
        Tensor logits = Tensor.randn(random, 3f, n, k);
        float[] z = logits.data();
        z[5 * k + 2] = 80f; // a row whose exp would overflow without subtracting the maximum
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(k);
        }

        float[] p = new float[n * k];
        double total = 0;
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] = (float) ((float) Math.exp(z[i * k + j] - max) / sum);
            }
            total -= (z[i * k + labels[i]] - max) - Math.log(sum);
        }
        float expectedLoss = (float) (total / n);
        float[] expectedGradient = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                expectedGradient[i * k + j] = (p[i * k + j] - (j == labels[i] ? 1f : 0f)) * (1f / n);
            }
        }

        SoftmaxWithLoss loss = new SoftmaxWithLoss();
        float actual = loss.forward(logits, labels);
        assertEquals(Float.floatToIntBits(expectedLoss), Float.floatToIntBits(actual),
                () -> "loss " + actual + ", expected " + expectedLoss);
        assertArrayEquals(expectedGradient, loss.backward().data());
    }
}
