package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector {@link AdamKernel} gives the scalar one's bits, over ranges of every alignment. */
class AdamKernelTest {

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        assertInstanceOf(VectorAdamKernel.class, AdamKernel.fastest());
    }

    /** Many steps, so that the JIT compiles the vector kernel: it must keep giving the scalar bits. */
    @Test
    void sameBitsOnceCompiled() {
        Random random = new Random(13);
        int n = 37;
        float[][] scalar = new float[3][n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            scalar[0][i] = (float) random.nextGaussian();
        }
        float[][] vector = {scalar[0].clone(), new float[n], new float[n]};
        AdamKernel kernel = new VectorAdamKernel();
        for (int step = 0; step < 30_000; step++) {
            for (int i = 0; i < n; i++) {
                g[i] = (float) random.nextGaussian() * 1e-3f;
            }
            ScalarAdamKernel.INSTANCE.update(scalar[0], g, scalar[1], scalar[2], 0, n, 0.1f, 0.001f, 1e-4f, 1e-7f);
            kernel.update(vector[0], g, vector[1], vector[2], 0, n, 0.1f, 0.001f, 1e-4f, 1e-7f);
            if (step % 1000 == 999) {
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(scalar[k], vector[k], "array " + k + " after step " + step);
                }
            }
        }
    }

    @Test
    void sameBitsAsTheScalarKernel() {
        Random random = new Random(12);
        int n = 203;
        float[] w0 = new float[n];
        float[] g = new float[n];
        float[] m0 = new float[n];
        float[] v0 = new float[n];
        for (int i = 0; i < n; i++) {
            w0[i] = (float) random.nextGaussian();
            g[i] = i % 7 == 0 ? 0f : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 6));
            m0[i] = i % 5 == 0 ? 0f : (float) random.nextGaussian() * 1e-3f;
            v0[i] = i % 5 == 0 ? 0f : (float) Math.abs(random.nextGaussian()) * 1e-6f;
        }
        for (int[] range : new int[][] {{0, n}, {1, 18}, {5, 5}, {16, 203}, {3, 100}}) {
            float[][] scalar = {w0.clone(), m0.clone(), v0.clone()};
            float[][] vector = {w0.clone(), m0.clone(), v0.clone()};
            for (int step = 0; step < 3; step++) {
                float lrT = 0.001f * (step + 1);
                ScalarAdamKernel.INSTANCE.update(scalar[0], g, scalar[1], scalar[2], range[0], range[1], 0.1f,
                        0.001f, lrT, 1e-7f);
                new VectorAdamKernel().update(vector[0], g, vector[1], vector[2], range[0], range[1], 0.1f, 0.001f,
                        lrT, 1e-7f);
            }
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(scalar[k], vector[k], "array " + k + " over " + range[0] + ".." + range[1]);
            }
        }
    }
}
