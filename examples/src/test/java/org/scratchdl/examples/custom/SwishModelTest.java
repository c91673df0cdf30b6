package org.scratchdl.examples.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.scratchdl.data.Dataset;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.io.ModelFile;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.SoftmaxWithLoss;
import org.scratchdl.network.Sequential;
import org.scratchdl.optim.Optimizer;
import org.scratchdl.optim.Optimizers;
import org.scratchdl.tensor.Tensor;
import org.scratchdl.train.Trainer;
import org.scratchdl.train.TrainingConfig;

/** Swish inside a network: training with every optimizer, saving and loading through both registries. */
class SwishModelTest {
    /** Every optimizer the library has, so a new one is tested here without editing this class. */
    static final List<String> OPTIMIZERS = Optimizers.NAMES;
    private static final int[] SAMPLE = {1, 6, 6};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @FieldSource("OPTIMIZERS")
    void trainsWithEveryOptimizer(String name) throws IOException {
        Dataset data = syntheticTask();
        Sequential model = Sequential.of(
                Affine.initialized(4, 16, new Random(1), 0.5f), new Swish(), Affine.initialized(16, 3, new Random(2), 0.5f));
        Swish swish = (Swish) model.layers().get(1);
        double before = loss(model, data);

        Optimizer optimizer = Optimizers.create(name, learningRate(name));
        new Trainer(model, optimizer, new TrainingConfig(15, 20, 3, 100)).fit(data, null);

        double after = loss(model, data);
        assertTrue(after < 0.6 * before, name + ": loss " + before + " → " + after);
        assertNotEquals(1f, swish.beta().value().data()[0], name + ": beta was not trained");
        assertTrue(Float.isFinite(swish.beta().value().data()[0]));
    }

    @Test
    void installedProvidersKnowSwishAndBuiltinsDoNot() {
        assertTrue(LayerRegistry.withInstalledProviders().types().contains(Swish.TYPE));
        assertFalse(LayerRegistry.withBuiltins().types().contains(Swish.TYPE));
        // the two routes are alternatives: registering the same name twice is refused
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> LayerRegistry.withInstalledProviders().register(Swish.TYPE, Swish::fromSpec));
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
    }

    @Test
    void savesAndLoadsThroughServiceLoaderAndExplicitRegistry() throws IOException {
        Sequential model = trainedConvModel();
        Path file = dir.resolve("swish.safetensors");
        ModelFile.save(file, model, SAMPLE, Map.of("note", "test"));
        Tensor x = Tensor.randn(new Random(9), 1f, 5, 1, 6, 6);
        Tensor expected = model.predict(x, 2);

        LayerRegistry explicit = LayerRegistry.withBuiltins().register("Swish", Swish::fromSpec);
        for (LayerRegistry registry : List.of(LayerRegistry.withInstalledProviders(), explicit)) {
            ModelFile.LoadedModel loaded = ModelFile.load(file, registry);
            assertArrayEquals(SAMPLE, loaded.inputShape());
            assertEquals("test", loaded.metadata().get("note"));
            assertEquals(model.layerSpecs(), loaded.model().layerSpecs());
            assertArrayEquals(expected.data(), loaded.model().predict(x, 2).data());
            for (int i : new int[] {1, 4}) {
                Swish original = (Swish) model.layers().get(i);
                Swish copy = assertInstanceOf(Swish.class, loaded.model().layers().get(i));
                // the trained beta, not the initial one
                assertEquals(original.beta().value().data()[0], copy.beta().value().data()[0]);
            }
        }
        assertNotEquals(0.5f, ((Swish) model.layers().get(1)).beta().value().data()[0]);
    }

    @Test
    void loadingWithoutSwishRegisteredNamesTheUnknownType() throws IOException {
        Path file = dir.resolve("swish.safetensors");
        ModelFile.save(file, trainedConvModel(), SAMPLE, Map.of());
        byte[] saved = Files.readAllBytes(file);

        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> ModelFile.load(file, LayerRegistry.withBuiltins()));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unknown layer type 'Swish'"), e.getMessage());
        assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
        assertArrayEquals(saved, Files.readAllBytes(file));
    }

    /** Conv → Swish(0.5) → pool → affine → Swish(1.5) → affine, trained a few steps so that β moved. */
    private static Sequential trainedConvModel() throws IOException {
        Random r = new Random(4);
        Sequential model = Sequential.of(
                Convolution.initialized(1, 3, 3, 1, 1, r, 0.3f),
                new Swish(0.5f),
                new Pooling(2, 2, 2, 0),
                Affine.initialized(3 * 3 * 3, 8, r, 0.3f),
                new Swish(1.5f),
                Affine.initialized(8, 3, r, 0.3f));
        Tensor images = Tensor.randn(r, 1f, 30, 1, 6, 6);
        int[] labels = new int[30];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        new Trainer(model, Optimizers.create("adam", 0.01), new TrainingConfig(3, 10, 5, 30))
                .fit(new Dataset(images, labels, 3), null);
        return model;
    }

    /**
     * 240 points in 4-D, labelled by which of three fixed directions they lie closest to (a task a
     * small network learns in a few epochs). Stored as {@code (N, 4, 1, 1)} images.
     */
    private static Dataset syntheticTask() {
        Random r = new Random(17);
        Tensor directions = Tensor.randn(r, 1f, 3, 4);
        int n = 240;
        Tensor x = Tensor.randn(r, 1f, n, 4, 1, 1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double dot = 0;
                for (int j = 0; j < 4; j++) {
                    dot += x.data()[i * 4 + j] * directions.get(k, j);
                }
                if (dot > best) {
                    best = dot;
                    labels[i] = k;
                }
            }
        }
        return new Dataset(x, labels, 3);
    }

    private static double loss(Sequential model, Dataset data) {
        return new SoftmaxWithLoss().forward(model.predict(data.images(), 100), data.labels());
    }

    private static double learningRate(String optimizer) {
        return switch (optimizer) {
            case "sgd", "adagrad" -> 0.1;
            case "momentum", "nesterov" -> 0.03;
            default -> 0.01; // rmsprop, adam and any optimizer added later
        };
    }
}
