package org.scratchdl.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchdl.data.Dataset;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.optim.AdaGrad;
import org.scratchdl.optim.Adam;
import org.scratchdl.optim.Momentum;
import org.scratchdl.optim.Nesterov;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.optim.RMSprop;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;

/**
 * Bad shapes and configurations at the level of a model: every one is rejected up front with one
 * line that names the layer (index and type, where there is a model), what was expected and what
 * came. The layer-by-layer basics are in {@code LayerValidationTest}; this table goes through
 * {@link Sequential}, {@link SimpleConvNet}, {@link Trainer} and the optimizers.
 */
class BadConfigurationTest {

    /** One bad input: what to run, the exception it must throw and words its message must hold. */
    record Case(Class<? extends RuntimeException> type, Executable action, List<String> words) {
        @Override
        public String toString() {
            return type.getSimpleName() + " " + words;
        }
    }

    private static Arguments bad(String name, Class<? extends RuntimeException> type, Executable action,
                                 String... words) {
        return Arguments.of(name, new Case(type, action, List.of(words)));
    }

    private static Arguments bad(String name, Executable action, String... words) {
        return bad(name, IllegalArgumentException.class, action, words);
    }

    /** A small network (1×8×8 input, 3 classes) for the trainer's cases. */
    private static final SimpleConvNet.Config SMALL = new SimpleConvNet.Config(1, 8, 8, 4, 3, 1, 0, 16, 3, 0.1f);

    private static Sequential small() {
        return SimpleConvNet.create(SMALL, new Random(1));
    }

    private static Dataset data(int n, int channels, int classes, int label) {
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, label);
        return new Dataset(Tensor.randn(new Random(2), 1f, n, channels, 8, 8), labels, classes);
    }

    private static Convolution conv(int channels, int filters, int kernel, int stride, int pad) {
        return Convolution.initialized(channels, filters, kernel, stride, pad, new Random(1), 0.1f);
    }

    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();

        // --- shapes going through a model: the message names the layer's index and type ---
        c.add(bad("kernel larger than the padded input",
                () -> SimpleConvNet.create(1).forward(Tensor.zeros(2, 1, 4, 4), false),
                "layer 0 (Convolution)", "kernel height 5 is larger than the padded input height 4 + 2·0 = 4",
                "(2, 1, 4, 4)"));
        c.add(bad("channel count not matching the filters",
                () -> SimpleConvNet.create(1).forward(Tensor.zeros(2, 3, 28, 28), false),
                "layer 0 (Convolution)", "expected 1 input channels", "but got (2, 3, 28, 28)"));
        c.add(bad("flat input to a convolution",
                () -> SimpleConvNet.create(1).forward(Tensor.zeros(2, 784), false),
                "layer 0 (Convolution)", "expected NCHW input (N, 1, H, W) but got (2, 784)"));
        c.add(bad("pooling window that yields no output",
                () -> Sequential.of(conv(1, 2, 3, 1, 0), new ReLU(), new Pooling(3, 3, 3, 0))
                        .forward(Tensor.zeros(1, 1, 4, 4), false),
                "layer 2 (Pooling)", "kernel height 3 is larger than the padded input height 2 + 2·0 = 2"));
        c.add(bad("affine input size not matching W",
                () -> Sequential.of(new ReLU(), Affine.initialized(10, 3, new Random(1), 0.1f))
                        .forward(Tensor.zeros(4, 12), false),
                "layer 1 (Affine)", "expected 10 input values per sample but got 12", "(4, 12)"));
        c.add(bad("output shape asked for an input the model cannot take",
                () -> SimpleConvNet.create(1).outputShape(new int[] {1, 1, 28, 27}),
                "layer 3 (Affine)", "expected 4320 input values per sample but got 3960", "(1, 30, 12, 11)"));
        c.add(bad("convolution padding so large the padded size overflows an int",
                () -> Sequential.of(conv(1, 2, 3, 1, Integer.MAX_VALUE)).forward(Tensor.zeros(1, 1, 28, 28), false),
                "layer 0 (Convolution)", "output height", "pad 2147483647", "too large"));
        c.add(bad("backward before any training forward", IllegalStateException.class,
                () -> SimpleConvNet.create(1).backward(Tensor.zeros(2, 10)),
                "layer 5 (Affine)", "backward called before a training forward"));
        c.add(bad("backward gradient of the wrong shape", () -> {
            Sequential net = SimpleConvNet.create(1);
            net.forward(Tensor.zeros(2, 1, 28, 28), true);
            net.backward(Tensor.zeros(3, 10));
        }, "layer 5 (Affine)", "expected shape (2, 10) but got (3, 10)"));
        c.add(bad("predict with batch size 0", () -> SimpleConvNet.create(1).predict(Tensor.zeros(5, 1, 28, 28), 0),
                "batch size must be at least 1, got 0"));
        c.add(bad("predict on a scalar", () -> SimpleConvNet.create(1).predict(Tensor.zeros(), 10),
                "expected a batch (N, …) but got shape ()"));
        c.add(bad("a model without layers", () -> new Sequential(List.of()), "needs at least one layer"));

        // --- layer configuration, rejected when the layer is built ---
        c.add(bad("convolution stride 0", () -> conv(1, 2, 3, 0, 0), "Convolution: stride must be at least 1, got 0"));
        c.add(bad("convolution stride negative", () -> conv(1, 2, 3, -2, 0),
                "Convolution: stride must be at least 1, got -2"));
        c.add(bad("convolution pad negative", () -> conv(1, 2, 3, 1, -1), "Convolution: pad must be at least 0, got -1"));
        c.add(bad("convolution kernel 0×0", () -> conv(1, 2, 0, 1, 0),
                "Convolution: kernel must be at least 1×1, got 0×0"));
        c.add(bad("convolution without filters", () -> conv(1, 0, 3, 1, 0),
                "Convolution: expected at least 1 filter and 1 input channel", "(0, 1, 3, 3)"));
        c.add(bad("convolution bias not matching the filters",
                () -> new Convolution(Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3), 1, 0),
                "Convolution bias", "expected shape (2", "but got (3"));
        c.add(bad("pooling stride 0", () -> new Pooling(2, 2, 0, 0), "Pooling: stride must be at least 1, got 0"));
        c.add(bad("pooling pad negative", () -> new Pooling(2, 2, 2, -1), "Pooling: pad must be at least 0, got -1"));
        c.add(bad("pooling pad larger than half the window", () -> new Pooling(2, 2, 2, 2),
                "Pooling: pad 2 must be at most half the pool window 2×2"));
        c.add(bad("affine without inputs", () -> Affine.initialized(0, 5, new Random(1), 0.1f),
                "Affine: expected at least 1 input and 1 output", "(0, 5)"));
        c.add(bad("affine bias not matching W", () -> new Affine(Tensor.zeros(4, 5), Tensor.zeros(4)),
                "Affine bias", "expected shape (5", "but got (4"));

        // --- SimpleConvNet's configuration ---
        c.add(bad("SimpleConvNet with 0 classes", () -> new SimpleConvNet.Config(1, 28, 28, 30, 5, 1, 0, 100, 0, 0.01f),
                "SimpleConvNet: classes must be at least 1, got 0"));
        c.add(bad("SimpleConvNet with stride 0", () -> new SimpleConvNet.Config(1, 28, 28, 30, 5, 0, 0, 100, 10, 0.01f),
                "SimpleConvNet: stride must be at least 1, got 0"));
        c.add(bad("SimpleConvNet with pad -1", () -> new SimpleConvNet.Config(1, 28, 28, 30, 5, 1, -1, 100, 10, 0.01f),
                "SimpleConvNet: pad must be at least 0, got -1"));
        c.add(bad("SimpleConvNet with NaN weight scale",
                () -> new SimpleConvNet.Config(1, 28, 28, 30, 5, 1, 0, 100, 10, Float.NaN),
                "SimpleConvNet: weightStd must be a finite number ≥ 0, got NaN"));
        c.add(bad("SimpleConvNet kernel larger than its input",
                () -> SimpleConvNet.create(new SimpleConvNet.Config(1, 4, 4, 30, 5, 1, 0, 100, 10, 0.01f), new Random(1)),
                "layer 0 (Convolution)", "kernel height 5 is larger than the padded input height 4"));
        c.add(bad("SimpleConvNet whose pooling gets a 1×1 image",
                () -> SimpleConvNet.create(new SimpleConvNet.Config(1, 5, 5, 30, 5, 1, 0, 100, 10, 0.01f), new Random(1)),
                "layer 2 (Pooling)", "kernel height 2 is larger than the padded input height 1"));

        // --- training configuration and data that do not fit the model ---
        c.add(bad("epochs 0", () -> new TrainingConfig(0, 10, 1, 10), "epochs must be at least 1, got 0"));
        c.add(bad("epochs negative", () -> new TrainingConfig(-3, 10, 1, 10), "epochs must be at least 1, got -3"));
        c.add(bad("batch size 0", () -> new TrainingConfig(1, 0, 1, 10), "batch size must be at least 1, got 0"));
        c.add(bad("evaluation batch size 0", () -> new TrainingConfig(1, 10, 1, 0),
                "evaluation batch size must be at least 1, got 0"));
        c.add(bad("empty training set", () -> new Trainer(small(), new Adam(0.01), new TrainingConfig(1, 10, 1, 10))
                .fit(new Dataset(Tensor.zeros(0, 1, 8, 8), new int[0], 3), null), "the training set is empty"));
        c.add(bad("first epoch 0", () -> new Trainer(small(), new Adam(0.01), new TrainingConfig(1, 10, 1, 10))
                .fit(data(4, 1, 3, 0), null, 0), "first epoch must be at least 1, got 0"));
        c.add(bad("labels beyond the model's classes",
                () -> new Trainer(small(), new Adam(0.01), new TrainingConfig(1, 10, 1, 10)).fit(data(4, 1, 12, 11), null),
                "training label 11 at index 0 is outside the model's 3 classes"));
        c.add(bad("training images with the wrong channel count",
                () -> new Trainer(small(), new Adam(0.01), new TrainingConfig(1, 10, 1, 10)).fit(data(4, 2, 3, 0), null),
                "layer 0 (Convolution)", "expected 1 input channels", "(4, 2, 8, 8)"));

        // --- optimizers ---
        for (String name : Optimizers.NAMES) {
            for (double lr : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
                c.add(bad(name + " with learning rate " + lr, () -> Optimizers.create(name, lr),
                        "learning rate must be a positive finite number, got " + lr));
            }
        }
        c.add(bad("unknown optimizer", () -> Optimizers.create("lion", 0.1),
                "unknown optimizer 'lion'; expected one of [sgd, momentum, nesterov, adagrad, rmsprop, adam]"));
        c.add(bad("Adam β1 = 1", () -> new Adam(0.1, 1.0, 0.999, 1e-8), "Adam needs 0 ≤ β1, β2 < 1", "β1=1.0"));
        c.add(bad("Momentum momentum = 1", () -> new Momentum(0.1, 1.0), "Momentum: momentum out of range: 1.0"));
        c.add(bad("Nesterov momentum negative", () -> new Nesterov(0.1, -0.5), "Nesterov: momentum out of range: -0.5"));
        c.add(bad("AdaGrad eps 0", () -> new AdaGrad(0.1, 0), "AdaGrad: eps out of range: 0.0"));
        c.add(bad("RMSprop eps NaN", () -> new RMSprop(0.1, Double.NaN), "RMSprop: eps out of range: NaN"));
        c.add(bad("optimizer given another parameter list", () -> {
            Adam adam = new Adam(0.1);
            Sequential net = small();
            adam.step(net.parameters());
            adam.step(net.parameters().subList(0, 2));
        }, "optimizer was used with 6 parameters, now given 2"));
        c.add(bad("optimizer given a parameter of another shape", () -> {
            Momentum momentum = new Momentum(0.1, 0.9);
            List<Parameter> params = new ArrayList<>(small().parameters());
            momentum.step(params);
            params.set(4, new Parameter("weight", Tensor.zeros(params.get(4).value().dim(1), params.get(4).value().dim(0))));
            momentum.step(params);
        }, "optimizer state of parameter 4 has shape", "the parameter now"));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedUpFrontWithOneClearLine(String name, Case c) {
        RuntimeException e = assertThrows(c.type(), c.action(), name);
        assertEquals(c.type(), e.getClass(), name);
        String message = e.getMessage();
        for (String word : c.words()) {
            assertTrue(message.contains(word), "expected '" + word + "' in: " + message);
        }
        assertFalse(message.contains("\n"), "one line: " + message);
    }
}
