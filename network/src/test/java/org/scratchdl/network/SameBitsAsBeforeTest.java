package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.SoftmaxWithLoss;
import org.scratchdl.optim.Adam;
import org.scratchdl.tensor.Parallelism;
import org.scratchdl.tensor.Tensor;

/**
 * Speed work must not change a single bit of training (the 20-epoch recipe's 0.9886 test accuracy
 * rests on these bits): five Adam steps of the book's SimpleConvNet on seeded synthetic
 * mini-batches end with exactly the weights that the element-at-a-time implementation gave
 * (plain loops for pooling, ReLU, im2col and Adam, a packed-B matrix multiply, an executor thread
 * pool), identified by a CRC-32 of all weight bits. The Vector API matrix multiply's result does
 * not depend on the vector width (one fused multiply-add chain per element), so neither does this
 * checksum; it does depend on the thread count, by design (each thread sums its own part of the
 * convolution's weight gradient). The tests run with the module {@code jdk.incubator.vector}
 * (EJML's multiply, the fallback without it, rounds differently).
 */
class SameBitsAsBeforeTest {

    @ParameterizedTest(name = "{0} thread(s)")
    @CsvSource({"1, 9a321ce8", "2, 17352f40"})
    void fiveAdamStepsGiveTheRecordedWeights(int threads, String expectedCrc) {
        try (Parallelism parallelism = Parallelism.of(threads)) {
            Sequential model = SimpleConvNet.create(SimpleConvNet.Config.book(new int[] {1, 28, 28}, 10),
                    new Random(1));
            model.useParallelism(parallelism);
            Adam adam = new Adam(0.001);
            adam.useParallelism(parallelism);
            SoftmaxWithLoss loss = new SoftmaxWithLoss();
            Random random = new Random(7);
            Tensor x = Tensor.zeros(50, 1, 28, 28);
            int[] t = new int[50];
            for (int step = 0; step < 5; step++) {
                float[] d = x.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = random.nextInt(3) == 0 ? random.nextFloat() : 0f;
                }
                for (int i = 0; i < t.length; i++) {
                    t[i] = random.nextInt(10);
                }
                loss.forward(model.forward(x, true), t);
                model.backward(loss.backward());
                adam.step(model.parameters());
            }
            CRC32 crc = new CRC32();
            for (Parameter p : model.parameters()) {
                for (float f : p.value().data()) {
                    int b = Float.floatToRawIntBits(f);
                    crc.update(b);
                    crc.update(b >>> 8);
                    crc.update(b >>> 16);
                    crc.update(b >>> 24);
                }
            }
            assertEquals(expectedCrc, Long.toHexString(crc.getValue()));
        }
    }
}
