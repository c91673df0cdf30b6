package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import org.scratchdl.data.Dataset;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.tensor.Tensor;

/** A small network and data set for checkpoint tests, and bit-for-bit comparisons. */
final class CheckpointFixtures {
    /** 1×12×12 inputs, 6 filters 3×3 with padding 1, 24 hidden units, 4 classes. */
    static final SimpleConvNet.Config NET = new SimpleConvNet.Config(1, 12, 12, 6, 3, 1, 1, 24, 4, 0.1f);
    static final int[] SAMPLE = {1, 12, 12};

    private CheckpointFixtures() {
    }

    static Sequential network() {
        return SimpleConvNet.create(NET, new Random(3));
    }

    /** Four classes told apart by which band of rows holds a bright bar, plus noise. */
    static Dataset bars(int n, long seed) {
        Random r = new Random(seed);
        Tensor x = Tensor.zeros(n, 1, 12, 12);
        int[] t = new int[n];
        float[] d = x.data();
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(4);
            for (int j = 0; j < 144; j++) {
                d[i * 144 + j] = (float) (r.nextDouble() * 0.4);
            }
            int row = t[i] * 3 + r.nextInt(3);
            for (int c = 0; c < 12; c++) {
                d[i * 144 + row * 12 + c] += 1f;
            }
        }
        return new Dataset(x, t, 4);
    }

    /** The raw bits of every float, so that NaNs and signed zeros count too. */
    static int[] bits(Tensor t) {
        float[] d = t.data();
        int[] b = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = Float.floatToRawIntBits(d[i]);
        }
        return b;
    }

    /** Same names in the same order, and every tensor the same shape and bits. */
    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(expected.keySet().stream().toList(), actual.keySet().stream().toList(), what + ": tensor names");
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), a.shape(), what + ": shape of " + e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(a), what + ": bits of " + e.getKey());
        }
    }
}
