package org.scratchdl.network;

import java.util.Random;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;

/**
 * The book's SimpleConvNet (Saito 2016, §7.5): conv → ReLU → max pool → affine → ReLU → affine.
 *
 * <p>Defaults: input {@code (1, 28, 28)}, 30 filters 5×5 stride 1 pad 0, pool 2×2 stride 2, 100
 * hidden units, 10 classes, weights N(0, 0.01²), biases 0. The output is logits {@code (N, 10)};
 * the loss ({@link org.scratchdl.layers.SoftmaxWithLoss}) is applied by the trainer.
 */
public final class SimpleConvNet {
    private SimpleConvNet() {
    }

    /**
     * The architecture's hyper-parameters.
     *
     * @param channels input channels (1 for MNIST)
     * @param height input height
     * @param width input width
     * @param filters convolution filters
     * @param kernel convolution kernel size
     * @param stride convolution stride
     * @param pad convolution padding
     * @param hidden hidden units of the first affine layer
     * @param classes output classes
     * @param weightStd standard deviation of the initial weights
     */
    public record Config(int channels, int height, int width, int filters, int kernel, int stride, int pad,
                         int hidden, int classes, float weightStd) {
        /** The book's defaults for 28×28 MNIST. */
        public static Config book() {
            return new Config(1, 28, 28, 30, 5, 1, 0, 100, 10, 0.01f);
        }
    }

    /** The book's network with weights drawn from {@code new Random(seed)}. */
    public static Sequential create(long seed) {
        return create(Config.book(), new Random(seed));
    }

    /**
     * Builds the network.
     *
     * @throws IllegalArgumentException if the configuration yields no output
     */
    public static Sequential create(Config c, Random random) {
        Convolution conv = Convolution.initialized(c.channels(), c.filters(), c.kernel(), c.stride(), c.pad(),
                random, c.weightStd());
        int convH = conv.geometry().outH(c.height());
        int convW = conv.geometry().outW(c.width());
        Pooling pool = new Pooling(2, 2, 2, 0);
        int poolH = pool.geometry().outH(convH);
        int poolW = pool.geometry().outW(convW);
        int flat = c.filters() * poolH * poolW;
        return Sequential.of(
                conv,
                new ReLU(),
                pool,
                Affine.initialized(flat, c.hidden(), random, c.weightStd()),
                new ReLU(),
                Affine.initialized(c.hidden(), c.classes(), random, c.weightStd()));
    }
}
