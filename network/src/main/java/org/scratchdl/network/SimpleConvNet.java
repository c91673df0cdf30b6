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

        /**
         * @param channels input channels C, at least 1
         * @param height input height H, at least 1
         * @param width input width W, at least 1
         * @param filters convolution filters, at least 1
         * @param kernel convolution kernel size (square), at least 1
         * @param stride convolution stride, at least 1
         * @param pad convolution zero padding on each border, at least 0
         * @param hidden hidden units of the first affine layer, at least 1
         * @param classes output classes K, at least 1
         * @param weightStd standard deviation of the initial weights, finite and at least 0
         * @throws IllegalArgumentException if a size, the kernel or the stride is below 1, the pad is
         *     negative, or {@code weightStd} is negative or not finite (the message names the field)
         */
        public Config {
            atLeast(1, channels, "channels");
            atLeast(1, height, "height");
            atLeast(1, width, "width");
            atLeast(1, filters, "filters");
            atLeast(1, kernel, "kernel");
            atLeast(1, stride, "stride");
            atLeast(0, pad, "pad");
            atLeast(1, hidden, "hidden");
            atLeast(1, classes, "classes");
            if (!(weightStd >= 0) || Float.isInfinite(weightStd)) {
                throw new IllegalArgumentException("SimpleConvNet: weightStd must be a finite number ≥ 0, got "
                        + weightStd);
            }
        }

        private static void atLeast(int min, int value, String name) {
            if (value < min) {
                throw new IllegalArgumentException("SimpleConvNet: " + name + " must be at least " + min + ", got "
                        + value);
            }
        }

        /**
         * The book's defaults for 28×28 MNIST.
         *
         * @return input {@code (1, 28, 28)}, 30 filters 5×5 stride 1 pad 0, 100 hidden units, 10 classes,
         *     weight standard deviation 0.01
         */
        public static Config book() {
            return new Config(1, 28, 28, 30, 5, 1, 0, 100, 10, 0.01f);
        }

        /**
         * The book's layers for images of {@code sampleShape} (C, H, W) and {@code classes} classes.
         *
         * @param sampleShape {@code (C, H, W)} of one image; elements after the third are ignored
         * @param classes output classes K
         * @return {@link #book()} with this input shape and number of classes
         * @throws IllegalArgumentException if C, H, W or {@code classes} is below 1
         * @throws ArrayIndexOutOfBoundsException if {@code sampleShape} has fewer than 3 elements
         */
        public static Config book(int[] sampleShape, int classes) {
            Config b = book();
            return new Config(sampleShape[0], sampleShape[1], sampleShape[2], b.filters(), b.kernel(), b.stride(),
                    b.pad(), b.hidden(), classes, b.weightStd());
        }
    }

    /**
     * The book's network with weights drawn from {@code new Random(seed)}.
     *
     * @param seed seed of the weight initialisation
     * @return the network for {@link Config#book()}: input {@code (N, 1, 28, 28)}, logits {@code (N, 10)}
     */
    public static Sequential create(long seed) {
        return create(Config.book(), new Random(seed));
    }

    /**
     * Builds the network.
     *
     * @param c the hyper-parameters
     * @param random the generator the weights are drawn from (convolution, then the two affine
     *     layers); advanced
     * @return the network: input {@code (N, C, H, W)}, logits {@code (N, classes)}
     * @throws IllegalArgumentException if the configuration yields no output, naming the layer, e.g.
     *     {@code layer 2 (Pooling): … kernel height 2 is larger than the padded input height 1 …}
     * @throws IllegalArgumentException if the first affine layer would take more values per sample than
     *     an {@code int} can count, or a weight tensor would be too large for one array
     */
    public static Sequential create(Config c, Random random) {
        Convolution conv = Convolution.initialized(c.channels(), c.filters(), c.kernel(), c.stride(), c.pad(),
                random, c.weightStd());
        ReLU relu = new ReLU();
        Pooling pool = new Pooling(2, 2, 2, 0);
        // Through a Sequential, so that a configuration without output names the layer at fault.
        int[] pooled = Sequential.of(conv, relu, pool).outputShape(new int[] {1, c.channels(), c.height(), c.width()});
        long flat = (long) pooled[1] * pooled[2] * pooled[3];
        if (flat > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SimpleConvNet: the first affine layer would take " + flat
                    + " values per sample, more than an int can count");
        }
        return Sequential.of(
                conv,
                relu,
                pool,
                Affine.initialized((int) flat, c.hidden(), random, c.weightStd()),
                new ReLU(),
                Affine.initialized(c.hidden(), c.classes(), random, c.weightStd()));
    }
}
