package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both {@link ReluKernel}s against the definition, bit for bit, with ±0, NaN and ±∞ in the data,
 * and which of them {@link ReluKernel#forLength} chooses.
 */
class ReluKernelTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};

    @Test
    void theVectorKernelIsChosenWhenTheModuleIsPresent() {
        assertInstanceOf(VectorReluKernel.class, ReluKernel.fastest());
    }

    @Test
    void smallTensorsGetThePlainLoopAndLargeOnesTheFastestKernel() {
        assertSame(ScalarReluKernel.INSTANCE, ReluKernel.forLength(-1));
        assertSame(ScalarReluKernel.INSTANCE, ReluKernel.forLength(0));
        assertSame(ScalarReluKernel.INSTANCE, ReluKernel.forLength(100 * 100));
        assertSame(ScalarReluKernel.INSTANCE, ReluKernel.forLength(1000 * 100));
        assertSame(ScalarReluKernel.INSTANCE, ReluKernel.forLength(ReluKernel.VECTOR_MIN_LENGTH - 1));
        assertSame(ReluKernel.fastest(), ReluKernel.forLength(ReluKernel.VECTOR_MIN_LENGTH));
        assertSame(ReluKernel.fastest(), ReluKernel.forLength(100 * 30 * 24 * 24));
    }

    @Test
    void bothKernelsFollowTheDefinitionOnEveryRange() {
        Random random = new Random(4);
        int n = 150;
        float[] x = new float[n];
        float[] dout = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextBoolean() ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
            dout[i] = random.nextBoolean() ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        float[] out = new float[n];
        float[] dx = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = x[i] > 0f || Float.isNaN(x[i]) ? x[i] : 0f;
            dx[i] = Float.floatToRawIntBits(out[i]) != 0 ? dout[i] : 0f;
        }
        for (ReluKernel kernel : new ReluKernel[] {ScalarReluKernel.INSTANCE, new VectorReluKernel()}) {
            String name = kernel.getClass().getSimpleName();
            for (int[] range : new int[][] {{0, n}, {3, 3}, {5, 12}, {1, 40}, {17, 150}, {0, 33}}) {
                float[] gotOut = new float[n];
                Arrays.fill(gotOut, 9f);
                kernel.forward(x, gotOut, range[0], range[1]);
                float[] gotDx = new float[n];
                Arrays.fill(gotDx, 9f);
                kernel.backward(out, dout, gotDx, range[0], range[1]);
                assertArrayEquals(FloatBits.of(expected(out, range)), FloatBits.of(gotOut), name + " forward " + Arrays.toString(range));
                assertArrayEquals(FloatBits.of(expected(dx, range)), FloatBits.of(gotDx), name + " backward " + Arrays.toString(range));
            }
        }
    }

    /** Many calls, so that the JIT compiles the vector kernel: it must keep giving the scalar bits. */
    @Test
    void sameBitsOnceCompiled() {
        Random random = new Random(5);
        int n = 45;
        float[] x = new float[n];
        float[] dout = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? SPECIAL[i % SPECIAL.length] : (float) random.nextGaussian();
            dout[i] = i % 4 == 0 ? SPECIAL[(i / 4) % SPECIAL.length] : (float) random.nextGaussian();
        }
        float[] expectedOut = new float[n];
        float[] expectedDx = new float[n];
        ScalarReluKernel.INSTANCE.forward(x, expectedOut, 0, n);
        ScalarReluKernel.INSTANCE.backward(expectedOut, dout, expectedDx, 0, n);
        ReluKernel vector = new VectorReluKernel();
        float[] out = new float[n];
        float[] dx = new float[n];
        for (int call = 0; call < 30_000; call++) {
            vector.forward(x, out, 0, n);
            vector.backward(out, dout, dx, 0, n);
            if (call % 1000 == 999) {
                assertArrayEquals(FloatBits.of(expectedOut), FloatBits.of(out), "forward, call " + call);
                assertArrayEquals(FloatBits.of(expectedDx), FloatBits.of(dx), "backward, call " + call);
            }
        }
    }

    /** {@code all} inside the range, the marker 9 outside it. */
    private static float[] expected(float[] all, int[] range) {
        float[] e = new float[all.length];
        Arrays.fill(e, 9f);
        System.arraycopy(all, range[0], e, range[0], range[1] - range[0]);
        return e;
    }
}
