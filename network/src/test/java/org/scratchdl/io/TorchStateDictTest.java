package org.scratchdl.io;

import org.scratchdl.data.MnistDataset;
import org.scratchdl.data.DataLocator;
import java.util.Optional;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.data.Dataset;
import org.scratchdl.data.MnistData;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.ReLU;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.tensor.Tensor;

/**
 * {@link TorchStateDict} against the SimpleConvNet that PyTorch trained and saved (test resource
 * {@code fixtures/torch-simpleconvnet}, see its README): the same logits on MNIST test images
 * 0–99, an export/load round trip, the index mapping and the errors.
 */
class TorchStateDictTest {
    private static final int[] SAMPLE = {1, 28, 28};
    /** Largest allowed |scratchdl logit − PyTorch logit|. */
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static Path fixture;
    private static JsonNode expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void readFixture() throws Exception {
        fixture = Path.of(TorchStateDictTest.class.getResource("/fixtures/torch-simpleconvnet/model.safetensors").toURI());
        try (InputStream in = TorchStateDictTest.class.getResourceAsStream("/fixtures/torch-simpleconvnet/expected.json")) {
            expected = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void pytorchWeightsGiveThePyTorchLogitsOnMnist() throws IOException {
        Optional<Path> data = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null);
        assumeTrue(data.isPresent(), "no MNIST files in $SCRATCHDL_DATA or ~/.cache/scratchdl/mnist: skipping the comparison with PyTorch's logits on test images 0-99");
        Dataset test = MnistData.load(data.get()).test();

        Sequential model = SimpleConvNet.create(1);
        TorchStateDict.load(fixture, model, SAMPLE);
        Tensor logits = model.predict(test.images().slice(0, 100, null), 50);

        assertEquals(List.of(100, 10), intList(expected.get("logits").get("shape")));
        JsonNode values = expected.get("logits").get("data");
        assertEquals(1000, values.size());
        assertArrayEquals(new int[] {100, 10}, logits.shape());
        for (int i = 0; i < 1000; i++) {
            double diff = Math.abs(logits.data()[i] - values.get(i).asDouble());
            assertTrue(diff <= LOGIT_TOLERANCE, "logit " + i + " (image " + i / 10 + ", class " + i % 10 + "): "
                    + logits.data()[i] + " vs PyTorch " + values.get(i).asDouble());
        }
        int[] predicted = logits.argmaxRows();
        List<Integer> torchPredicted = intList(expected.get("predicted"));
        List<Integer> labels = intList(expected.get("labels"));
        int correct = 0;
        for (int i = 0; i < 100; i++) {
            assertEquals(torchPredicted.get(i), predicted[i], "predicted class of image " + i);
            assertEquals(labels.get(i), test.label(i), "label of image " + i);
            correct += predicted[i] == test.label(i) ? 1 : 0;
        }
        assertEquals(expected.get("accuracyOnThese100").asDouble(), correct / 100.0, 1e-12);
    }

    @Test
    void loadedWeightsAreThePyTorchTensorsWithLinearWeightsTransposed() throws IOException {
        SafeTensorsFile file = SafeTensors.read(fixture);
        Sequential model = SimpleConvNet.create(1);
        TorchStateDict.load(fixture, model, SAMPLE);
        Map<String, Parameter> p = model.namedParameters();
        assertArrayEquals(file.tensor("0.weight").data(), p.get("0.weight").value().data());
        assertArrayEquals(file.tensor("0.bias").data(), p.get("0.bias").value().data());
        assertArrayEquals(file.tensor("4.bias").data(), p.get("3.bias").value().data());
        assertArrayEquals(file.tensor("6.bias").data(), p.get("5.bias").value().data());
        // nn.Linear (out, in) → Affine (in, out)
        assertArrayEquals(new int[] {4320, 100}, p.get("3.weight").value().shape());
        assertEquals(file.tensor("4.weight").get(7, 1234), p.get("3.weight").value().get(1234, 7));
        assertEquals(file.tensor("6.weight").get(9, 99), p.get("5.weight").value().get(99, 9));
        assertArrayEquals(file.tensor("6.weight").transpose(1, 0).data(), p.get("5.weight").value().data());
    }

    @Test
    void exportThenLoadRoundTrips() throws IOException {
        Sequential original = SimpleConvNet.create(5);
        Random r = new Random(6);
        for (Parameter p : original.parameters()) {
            p.value().copyFrom(Tensor.randn(r, 0.05f, p.value().shape()));
        }
        Map<String, Tensor> exported = TorchStateDict.export(original, SAMPLE);
        assertEquals(List.of("0.weight", "0.bias", "4.weight", "4.bias", "6.weight", "6.bias"),
                List.copyOf(exported.keySet()));
        assertArrayEquals(new int[] {100, 4320}, exported.get("4.weight").shape());
        assertArrayEquals(new int[] {10, 100}, exported.get("6.weight").shape());
        // fresh tensors: changing the export leaves the model alone
        float saved = exported.get("0.bias").data()[0];
        exported.get("0.bias").data()[0] = 123f;
        assertEquals(saved, original.namedParameters().get("0.bias").value().data()[0]);

        Path file = dir.resolve("state_dict.safetensors");
        TorchStateDict.save(file, original, SAMPLE);
        assertEquals("pt", SafeTensors.read(file).metadata().get("format"));
        Sequential copy = SimpleConvNet.create(99);
        TorchStateDict.load(file, copy, SAMPLE);
        for (Map.Entry<String, Parameter> e : original.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), copy.namedParameters().get(e.getKey()).value().data(),
                    e.getKey());
        }
        Tensor x = Tensor.randn(new Random(7), 1f, 3, 1, 28, 28);
        assertArrayEquals(original.predict(x, 3).data(), copy.predict(x, 3).data());

        // and the PyTorch fixture survives load → save → load unchanged
        Sequential fromTorch = SimpleConvNet.create(1);
        TorchStateDict.load(fixture, fromTorch, SAMPLE);
        Path again = dir.resolve("again.safetensors");
        TorchStateDict.save(again, fromTorch, SAMPLE);
        SafeTensorsFile a = SafeTensors.read(fixture);
        SafeTensorsFile b = SafeTensors.read(again);
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.tensor(name).shape(), b.tensor(name).shape(), name);
            assertArrayEquals(a.tensor(name).data(), b.tensor(name).data(), name);
        }
    }

    @Test
    void torchIndicesCountTheFlattenBeforeTheFirstAffine() {
        assertArrayEquals(new int[] {0, 1, 2, 4, 5, 6}, TorchStateDict.torchIndices(SimpleConvNet.create(1), SAMPLE));
        // an MLP on flat input needs no Flatten; on image input one, before the first Linear only
        Random r = new Random(1);
        Sequential mlp = Sequential.of(Affine.initialized(784, 10, r, 0.1f), new ReLU(), Affine.initialized(10, 3, r, 0.1f));
        assertArrayEquals(new int[] {0, 1, 2}, TorchStateDict.torchIndices(mlp, new int[] {784}));
        assertArrayEquals(new int[] {1, 2, 3}, TorchStateDict.torchIndices(mlp, SAMPLE));
        assertThrows(IllegalArgumentException.class, () -> TorchStateDict.torchIndices(mlp, new int[] {1, 27, 28}));
    }

    @Test
    void missingTensorIsNamedAndNothingIsChanged() throws IOException {
        Map<String, Tensor> tensors = fixtureTensors();
        tensors.remove("6.bias");
        Path file = write("missing", tensors);
        Sequential model = SimpleConvNet.create(2);
        Map<String, float[]> before = snapshot(model);

        CorruptFileException e = assertThrows(CorruptFileException.class, () -> TorchStateDict.load(file, model, SAMPLE));
        assertEquals(file, e.file());
        assertContains(e, file.toString(), "tensor '6.bias' is missing", "layer 5", "Affine bias");
        assertUnchanged(before, model);
    }

    @Test
    void wrongShapeIsNamedAndNothingIsChanged() throws IOException {
        // Affine's own (in, out) layout instead of nn.Linear's (out, in)
        Map<String, Tensor> tensors = fixtureTensors();
        tensors.put("4.weight", tensors.get("4.weight").transpose(1, 0));
        Path file = write("transposed", tensors);
        Sequential model = SimpleConvNet.create(2);
        Map<String, float[]> before = snapshot(model);

        CorruptFileException e = assertThrows(CorruptFileException.class, () -> TorchStateDict.load(file, model, SAMPLE));
        assertEquals(file, e.file());
        assertContains(e, "tensor '4.weight' has shape (4320, 100)", "layer 3 (Affine) needs (100, 4320)");
        assertUnchanged(before, model);

        Map<String, Tensor> conv = fixtureTensors();
        conv.put("0.weight", Tensor.zeros(30, 1, 3, 3));
        CorruptFileException c = assertThrows(CorruptFileException.class,
                () -> TorchStateDict.load(write("conv", conv), SimpleConvNet.create(2), SAMPLE));
        assertContains(c, "tensor '0.weight' has shape (30, 1, 3, 3)", "needs (30, 1, 5, 5)");
    }

    @Test
    void extraTensorIsNamed() throws IOException {
        Map<String, Tensor> tensors = fixtureTensors();
        tensors.put("3.weight", Tensor.zeros(2, 2));
        Path file = write("extra", tensors);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> TorchStateDict.load(file, SimpleConvNet.create(2), SAMPLE));
        assertContains(e, "tensor '3.weight' has no counterpart");
    }

    @Test
    void scratchdlModelFileIsNotAStateDict() throws IOException {
        // a ModelFile names the first Affine 3.weight, not 4.weight
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(file, SimpleConvNet.create(1), SAMPLE, Map.of());
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> TorchStateDict.load(file, SimpleConvNet.create(2), SAMPLE));
        assertContains(e, "tensor '4.weight' is missing");
    }

    private static Map<String, Tensor> fixtureTensors() throws IOException {
        return new LinkedHashMap<>(SafeTensors.read(fixture).tensors());
    }

    private Path write(String name, Map<String, Tensor> tensors) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        assertTrue(Files.size(file) > 0);
        return file;
    }

    private static Map<String, float[]> snapshot(Sequential model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> values.put(name, p.value().data().clone()));
        return values;
    }

    private static void assertUnchanged(Map<String, float[]> before, Sequential model) {
        before.forEach((name, v) -> assertArrayEquals(v, model.namedParameters().get(name).value().data(), name));
    }

    private static void assertContains(Exception e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }

    private static List<Integer> intList(JsonNode array) {
        List<Integer> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asInt()));
        return list;
    }
}
