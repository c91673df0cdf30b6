package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.layers.Affine;
import org.scratchdl.layers.Convolution;
import org.scratchdl.layers.LayerRegistry;
import org.scratchdl.layers.Parameter;
import org.scratchdl.layers.Pooling;
import org.scratchdl.layers.ReLU;
import org.scratchdl.network.Sequential;
import org.scratchdl.network.SimpleConvNet;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * {@link ModelFile}: a round trip of SimpleConvNet, each validation error as a
 * {@link CorruptFileException} naming the file and the tensor or layer, and a seeded fuzz loop
 * over mutated model files in which nothing but a valid model or a CorruptFileException may come
 * out.
 */
class ModelFileTest {
    private static final int[] MNIST_SAMPLE = {1, 28, 28};

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- round trip

    @Test
    void simpleConvNetRoundTripGivesIdenticalLogits() throws IOException {
        Sequential model = SimpleConvNet.create(7);
        Random r = new Random(8);
        for (Parameter p : model.parameters()) {
            if (p.name().equals("bias")) {
                p.value().copyFrom(Tensor.randn(r, 0.1f, p.value().shape()));
            }
        }
        Path file = dir.resolve("simpleconvnet.safetensors");
        ModelFile.save(file, model, MNIST_SAMPLE, Map.of("dataset", "mnist"));

        ModelFile.LoadedModel loaded = ModelFile.load(file, LayerRegistry.withBuiltins());
        assertArrayEquals(MNIST_SAMPLE, loaded.inputShape());
        assertEquals("mnist", loaded.metadata().get("dataset"));
        assertEquals(ModelFile.FORMAT, loaded.metadata().get("format"));
        assertEquals(ModelFile.VERSION, loaded.metadata().get("format_version"));
        assertEquals(model.layerSpecs(), loaded.model().layerSpecs());
        assertEquals(model.namedParameters().keySet(), loaded.model().namedParameters().keySet());
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().data(), loaded.model().namedParameters().get(e.getKey()).value().data(),
                    e.getKey());
        }
        Tensor x = Tensor.randn(new Random(9), 1f, 6, 1, 28, 28);
        Tensor expected = model.predict(x, 3);
        Tensor actual = loaded.model().predict(x, 3);
        assertArrayEquals(new int[] {6, 10}, actual.shape());
        assertArrayEquals(expected.data(), actual.data());

        // saving the loaded model gives the same file
        Path again = dir.resolve("again.safetensors");
        ModelFile.save(again, loaded.model(), loaded.inputShape(), Map.of("dataset", "mnist"));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    // ---------------------------------------------------------------- validation errors

    @Test
    void missingTensor() throws IOException {
        Path file = write("missing", (tensors, metadata) -> tensors.remove("3.bias"));
        assertCorrupt(file, "tensor '3.bias' is missing", "(100,)");
    }

    @Test
    void extraTensor() throws IOException {
        Path file = write("extra", (tensors, metadata) -> tensors.put("1.weight", Tensor.zeros(2)));
        assertCorrupt(file, "tensor '1.weight' does not belong to any layer");
    }

    @Test
    void wrongShape() throws IOException {
        Path file = write("shape", (tensors, metadata) -> tensors.put("0.weight", Tensor.zeros(30, 1, 5, 4)));
        assertCorrupt(file, "tensor '0.weight' has shape (30, 1, 5, 4)", "needs (30, 1, 5, 5)");
    }

    @Test
    void transposedAffineWeightIsAWrongShape() throws IOException {
        Path file = write("transposed", (tensors, metadata) -> tensors.put("5.weight", Tensor.zeros(10, 100)));
        assertCorrupt(file, "tensor '5.weight' has shape (10, 100)", "needs (100, 10)");
    }

    @Test
    void unknownLayerType() throws IOException {
        Path file = write("unknown", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"type\":\"ReLU\"", "\"type\":\"Mystery\"")));
        assertCorrupt(file, "layer 1 (Mystery)", "unknown layer type 'Mystery'", "known types: Convolution");
    }

    @Test
    void architectureIsNotJson() throws IOException {
        Path file = write("notjson", (tensors, metadata) -> metadata.put(ModelFile.ARCHITECTURE_KEY, "{\"inputShape\": [1, 28"));
        assertCorrupt(file, ModelFile.ARCHITECTURE_KEY, "not valid JSON");
    }

    @Test
    void architectureWithTrailingGarbageIsNotJson() throws IOException {
        Path file = write("trailing", (tensors, metadata) -> editArchitecture(metadata, arch -> arch + " ]"));
        assertCorrupt(file, ModelFile.ARCHITECTURE_KEY, "not valid JSON");
    }

    @Test
    void architectureThatIsJsonButNotAValidArchitecture() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("null", ModelFile.ARCHITECTURE_KEY);
        cases.put("[]", ModelFile.ARCHITECTURE_KEY);
        cases.put("42", ModelFile.ARCHITECTURE_KEY);
        cases.put("{}", "'inputShape'");
        cases.put("{\"inputShape\": [1, 28, 28]}", "'layers'");
        cases.put("{\"inputShape\": [1, 28, 28], \"layers\": []}", "non-empty");
        cases.put("{\"inputShape\": [1, -28, 28], \"layers\": [{\"type\": \"ReLU\"}]}", "positive integers");
        cases.put("{\"inputShape\": [1, 28.5, 28], \"layers\": [{\"type\": \"ReLU\"}]}", "positive integers");
        cases.put("{\"inputShape\": [1, 28, 28], \"layers\": [{\"type\": \"\"}]}", "type");
        cases.put("{\"inputShape\": [1, 28, 28], \"layers\": [{\"type\": \"ReLU\", \"config\": 3}]}", "layer 0");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = write("arch", (tensors, metadata) -> metadata.put(ModelFile.ARCHITECTURE_KEY, c.getKey()));
            assertCorrupt(file, c.getValue());
        }
    }

    @Test
    void missingArchitecture() throws IOException {
        Path file = write("noarch", (tensors, metadata) -> metadata.remove(ModelFile.ARCHITECTURE_KEY));
        assertCorrupt(file, "no '" + ModelFile.ARCHITECTURE_KEY + "' entry");
    }

    @Test
    void wrongFormat() throws IOException {
        Path file = write("format", (tensors, metadata) -> metadata.put("format", "pt"));
        assertCorrupt(file, "not a scratchdl model", "'format' is pt");
        Path none = write("noformat", (tensors, metadata) -> metadata.remove("format"));
        assertCorrupt(none, "not a scratchdl model");
        // a PyTorch state_dict is not a model file
        Path torch = dir.resolve("torch.safetensors");
        TorchStateDict.save(torch, SimpleConvNet.create(1), MNIST_SAMPLE);
        assertCorrupt(torch, "not a scratchdl model");
    }

    @Test
    void wrongVersion() throws IOException {
        Path file = write("version", (tensors, metadata) -> metadata.put("format_version", "2"));
        assertCorrupt(file, "unsupported model format version 2", "reads " + ModelFile.VERSION);
        Path none = write("noversion", (tensors, metadata) -> metadata.remove("format_version"));
        assertCorrupt(none, "unsupported model format version null");
    }

    @Test
    void architectureThatDoesNotFitTogether() throws IOException {
        // the first Affine takes 4000 values per sample, but pooling gives 30·12·12 = 4320
        Path file = write("fit", (tensors, metadata) -> {
            editArchitecture(metadata, arch -> arch.replace("\"in\":4320", "\"in\":4000"));
            tensors.put("3.weight", Tensor.zeros(4000, 100));
        });
        assertCorrupt(file, "does not fit together", "layer 3 (Affine)", "4000", "4320");

        // the input shape is the wrong one for the first layer
        Path input = write("input", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"inputShape\":[1,28,28]", "\"inputShape\":[3,28,28]")));
        assertCorrupt(input, "does not fit together", "layer 0 (Convolution)");
    }

    @Test
    void invalidLayerConfiguration() throws IOException {
        Path file = write("config", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"stride\":1,", "\"stride\":0,")));
        assertCorrupt(file, "layer 0 (Convolution)");
        Path missing = write("configmissing", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"out\":10}", "\"outputs\":10}")));
        assertCorrupt(missing, "layer 5 (Affine)", "'out'");
        Path outOfRange = write("configrange", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"out\":10}", "\"out\":4294967306}")));
        assertCorrupt(outOfRange, "layer 5 (Affine)", "4294967306");
    }

    @Test
    void configurationAskingForMoreMemoryThanThereIsIsCorrupt() throws IOException {
        // 10⁹ × 1 floats: four gigabytes asked for by a few bytes of JSON
        Path file = write("memory", (tensors, metadata) -> editArchitecture(metadata,
                arch -> arch.replace("\"in\":100,\"out\":10}", "\"in\":1000000000,\"out\":1}")));
        assertCorrupt(file, "layer 5 (Affine)");
    }

    @Test
    void aCorruptLoadLeavesTheFileAsItWas() throws IOException {
        Path file = write("unchanged", (tensors, metadata) -> tensors.remove("0.bias"));
        byte[] before = Files.readAllBytes(file);
        assertCorrupt(file, "'0.bias'");
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    // ---------------------------------------------------------------- fuzzing

    private static final long SEED = 0x30DE_1F11_E001L;
    private static final int CASES = 10_200;
    private static final Path NAME = Path.of("fuzz-model.safetensors");
    private static final ObjectMapper HEADER_JSON = new ObjectMapper();
    private static final int VALID = 0;
    private static final int REJECTED_BY_READER = 1;
    private static final int REJECTED_BY_LOADER = 2;
    private static final int[] SMALL_SAMPLE = {1, 6, 6};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"[^\"]*\"");
    /** Replacements for numbers: small, or past the range of int (rejected); no layer allocates more than megabytes. */
    private static final String[] NUMBERS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "16", "18", "-1", "-0",
        "-2", "0.5", "1.0", "2.5", "1e0", "1e1", "1E2", "1000", "2147483647", "2147483648", "-2147483648",
        "4294967297", "9223372036854775807", "99999999999999999999", "1e30", "1e400", "NaN", "null", "true", "\"3\""};
    private static final String[] WORDS = {"\"Convolution\"", "\"Pooling\"", "\"ReLU\"", "\"Affine\"", "\"Sequential\"",
        "\"Swish\"", "\"\"", "\" \"", "\"type\"", "\"config\"", "\"layers\"", "\"inputShape\"", "\"in\"", "\"out\"",
        "\"filters\"", "\"channels\"", "\"kernelH\"", "\"kernelW\"", "\"stride\"", "\"pad\"", "\"poolH\"", "\"poolW\"",
        "null", "[]", "{}", "[1,6,6]", "{\"type\":\"ReLU\"}", "\"\\u0000\"", "\"\\ud800\""};
    private static final String[] JUNK = {"{", "}", "[", "]", ",", ":", "\"", "\\", "NaN", "01", "-", "tru", " ",
        "\u0000", "/*", "\uFFFD", "é", "0", "9"};
    private static final String[] ARCHITECTURES = {"", "null", "[]", "{}", "1", "\"x\"", "{\"layers\":[]}",
        "{\"inputShape\":[],\"layers\":[{\"type\":\"ReLU\"}]}", "{\"inputShape\":null,\"layers\":null}",
        "{\"inputShape\":[1,6,6],\"layers\":[null]}", "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":null}]}",
        "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":\"ReLU\",\"config\":null}]}",
        "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":\"Affine\",\"config\":{}}]}",
        "{\"inputShape\":[1,6,6],\"layers\":[{\"type\":\"ReLU\"}]}", "[".repeat(5000) + "]".repeat(5000)};

    @Test
    void mutatedModelFilesGiveAModelOrCorruptFileException() {
        Random random = new Random(SEED);
        Sequential model = smallModel();
        Map<String, Tensor> tensors = ModelFile.tensors(model);
        Map<String, String> metadata = ModelFile.metadata(model, SMALL_SAMPLE, Map.of());
        byte[] valid = SafeTensors.toBytes(tensors, metadata);
        assertEquals(VALID, check(valid, -1, null), "the unmodified file loads");
        assertEquals(VALID, check(encode(tensors, metadata), -1, null), "the test's own encoding loads");

        int[] outcomes = new int[3];
        for (int i = 0; i < CASES; i++) {
            outcomes[check(generate(random, i, valid, tensors, metadata), i, null)]++;
        }
        // every outcome was exercised, and most mutations got past the safetensors layer to the loader's own checks
        String counts = "valid " + outcomes[VALID] + ", rejected by the reader " + outcomes[REJECTED_BY_READER]
                + ", by the loader " + outcomes[REJECTED_BY_LOADER];
        assertTrue(outcomes[VALID] > 300, counts);
        assertTrue(outcomes[REJECTED_BY_READER] > 300, counts);
        assertTrue(outcomes[REJECTED_BY_LOADER] > CASES / 2, counts);
    }

    @Test
    void mutatedFilesOnDiskBehaveAsInMemory() throws IOException {
        Random random = new Random(SEED + 1);
        Sequential model = smallModel();
        Map<String, Tensor> tensors = ModelFile.tensors(model);
        Map<String, String> metadata = ModelFile.metadata(model, SMALL_SAMPLE, Map.of());
        byte[] valid = SafeTensors.toBytes(tensors, metadata);
        Path file = dir.resolve(NAME);
        for (int i = 0; i < 240; i++) {
            byte[] content = generate(random, i, valid, tensors, metadata);
            Files.write(file, content);
            assertEquals(check(content, i, null), check(content, i, file), "case " + i);
        }
    }

    /**
     * Loads {@code content} (from memory, or from {@code file} when given) and returns
     * {@link #VALID} for a consistent model, {@link #REJECTED_BY_READER} or
     * {@link #REJECTED_BY_LOADER} for a CorruptFileException naming the file, depending on whether
     * the safetensors layer or the model loader found the problem. Anything else fails the test.
     */
    private static int check(byte[] content, int i, Path file) {
        SafeTensorsFile parsed = readOrNull(content);
        ModelFile.LoadedModel loaded;
        try {
            loaded = file == null
                    ? ModelFile.fromContent(NAME, SafeTensors.read(content, NAME), LayerRegistry.withBuiltins())
                    : ModelFile.load(file, LayerRegistry.withBuiltins());
        } catch (CorruptFileException e) {
            assertEquals(file == null ? NAME : file, e.file(), "case " + i);
            assertTrue(e.getMessage().startsWith(e.file().toString()), "case " + i + ": " + e.getMessage());
            return parsed == null ? REJECTED_BY_READER : REJECTED_BY_LOADER;
        } catch (Throwable t) {
            fail("case " + i + " (seed " + SEED + ") threw " + t + " for " + describe(content), t);
            return -1;
        }
        assertTrue(parsed != null, "case " + i + ": the loader accepted what the reader rejects");
        // a model that loads is complete and consistent
        Map<String, Parameter> named = loaded.model().namedParameters();
        assertEquals(parsed.tensors().keySet(), named.keySet(), "case " + i);
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            assertArrayEquals(parsed.tensor(e.getKey()).data(), e.getValue().value().data(), "case " + i + " " + e.getKey());
        }
        int[] batch = new int[loaded.inputShape().length + 1];
        batch[0] = 2;
        System.arraycopy(loaded.inputShape(), 0, batch, 1, loaded.inputShape().length);
        int[] out = loaded.model().outputShape(batch);
        if (Shapes.size(batch) <= 100_000) {
            try {
                assertArrayEquals(out, loaded.model().forward(Tensor.zeros(batch), false).shape(), "case " + i);
            } catch (RuntimeException e) {
                fail("case " + i + ": a loaded model fails on input " + Shapes.format(batch) + ": " + e, e);
            }
        }
        return VALID;
    }

    private static byte[] generate(Random r, int i, byte[] valid, Map<String, Tensor> tensors,
                                   Map<String, String> metadata) {
        return switch (i % 12) {
            case 0 -> setBytes(r, valid, 0, valid.length, 1 + r.nextInt(3));
            case 1 -> setBytes(r, valid, 8, headerEnd(valid), 1 + r.nextInt(2));
            case 2 -> setPrintableBytes(r, valid, architectureStart(valid), headerEnd(valid));
            case 3 -> withArchitecture(tensors, metadata, replaceMatch(r, architecture(metadata), NUMBER, NUMBERS, 1 + r.nextInt(2)));
            case 4 -> withArchitecture(tensors, metadata, replaceMatch(r, architecture(metadata), STRING, WORDS, 1));
            case 5 -> withArchitecture(tensors, metadata, spliceText(r, architecture(metadata)));
            case 6 -> withArchitecture(tensors, metadata, ARCHITECTURES[r.nextInt(ARCHITECTURES.length)]);
            case 7 -> withMetadata(tensors, mutateMetadata(r, metadata));
            case 8 -> encode(mutateTensors(r, tensors), metadata);
            case 9 -> Arrays.copyOf(valid, r.nextInt(valid.length + 16));
            case 10 -> withArchitecture(mutateTensors(r, tensors), metadata,
                    replaceMatch(r, architecture(metadata), NUMBER, NUMBERS, 1));
            default -> withArchitecture(tensors, metadata, replaceMatch(r, architecture(metadata), NUMBER,
                    new String[] {"1", "2", "3", "4", "6", "8", "9", "12", "18", "36"}, 1 + r.nextInt(3)));
        };
    }

    /** A small model of every built-in layer type: (N, 1, 6, 6) → (N, 3). */
    private static Sequential smallModel() {
        Random r = new Random(21);
        return Sequential.of(
                Convolution.initialized(1, 2, 3, 1, 1, r, 0.5f),
                new ReLU(),
                new Pooling(2, 2, 2, 0),
                Affine.initialized(2 * 3 * 3, 4, r, 0.5f),
                new ReLU(),
                Affine.initialized(4, 3, r, 0.5f));
    }

    private static SafeTensorsFile readOrNull(byte[] content) {
        try {
            return SafeTensors.read(content, NAME);
        } catch (CorruptFileException e) {
            return null;
        }
    }

    private static String architecture(Map<String, String> metadata) {
        return metadata.get(ModelFile.ARCHITECTURE_KEY);
    }

    private static byte[] withArchitecture(Map<String, Tensor> tensors, Map<String, String> metadata, String arch) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(ModelFile.ARCHITECTURE_KEY, arch);
        return withMetadata(tensors, m);
    }

    private static byte[] withMetadata(Map<String, Tensor> tensors, Map<String, String> metadata) {
        return encode(tensors, metadata);
    }

    /**
     * The safetensors bytes of {@code tensors} and {@code metadata}, written here rather than by
     * {@link SafeTensors#toBytes} so that the fuzz loop does not depend on (or spend its time in)
     * the writer: header JSON without padding, F32 little-endian data in map order.
     */
    private static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long end = offset + 4L * e.getValue().size();
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(), "data_offsets", new long[] {offset, end}));
            offset = end;
        }
        byte[] json;
        try {
            json = HEADER_JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        for (Tensor t : tensors.values()) {
            for (float v : t.data()) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    private static byte[] setBytes(Random r, byte[] valid, int from, int to, int count) {
        byte[] b = valid.clone();
        for (int k = 0; k < count; k++) {
            b[from + r.nextInt(to - from)] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Overwrites one byte inside the architecture JSON with a character that keeps the header readable. */
    private static byte[] setPrintableBytes(Random r, byte[] valid, int from, int to) {
        byte[] b = valid.clone();
        String chars = "0123456789-.eE{}[],: abcnlrtu";
        int count = 1 + r.nextInt(2);
        for (int k = 0; k < count; k++) {
            b[from + r.nextInt(to - from)] = (byte) chars.charAt(r.nextInt(chars.length()));
        }
        return b;
    }

    private static String replaceMatch(Random r, String text, Pattern pattern, String[] choices, int count) {
        String result = text;
        for (int k = 0; k < count; k++) {
            List<int[]> spans = new ArrayList<>();
            Matcher m = pattern.matcher(result);
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
            if (spans.isEmpty()) {
                return result;
            }
            int[] s = spans.get(r.nextInt(spans.size()));
            result = result.substring(0, s[0]) + choices[r.nextInt(choices.length)] + result.substring(s[1]);
        }
        return result;
    }

    /** Deletes, duplicates or inserts junk at a random place of the text. */
    private static String spliceText(Random r, String text) {
        int a = r.nextInt(text.length() + 1);
        int b = Math.min(text.length(), a + r.nextInt(12));
        return switch (r.nextInt(3)) {
            case 0 -> text.substring(0, a) + text.substring(b);
            case 1 -> text.substring(0, b) + text.substring(a, b) + text.substring(b);
            default -> text.substring(0, a) + JUNK[r.nextInt(JUNK.length)] + text.substring(a);
        };
    }

    private static Map<String, String> mutateMetadata(Random r, Map<String, String> metadata) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        String[] keys = {"format", "format_version", ModelFile.ARCHITECTURE_KEY, "other"};
        String key = keys[r.nextInt(keys.length)];
        switch (r.nextInt(3)) {
            case 0 -> m.remove(key);
            case 1 -> m.put(key, new String[] {"", "1", "2", "0", ModelFile.FORMAT, "pt", "1.0", " 1"}[r.nextInt(8)]);
            default -> m.put(key + (r.nextBoolean() ? "" : "x"), String.valueOf(r.nextLong()));
        }
        return m;
    }

    private static Map<String, Tensor> mutateTensors(Random r, Map<String, Tensor> tensors) {
        Map<String, Tensor> t = new LinkedHashMap<>(tensors);
        List<String> names = new ArrayList<>(t.keySet());
        String name = names.get(r.nextInt(names.size()));
        int[] shape = t.get(name).shape();
        switch (r.nextInt(5)) {
            case 0 -> t.remove(name);
            case 1 -> t.put(name.replace('.', r.nextBoolean() ? '_' : '.') + "x", t.remove(name));
            case 2 -> t.put(names.get(r.nextInt(names.size())), t.get(name));
            case 3 -> {
                if (shape.length > 0) {
                    shape[r.nextInt(shape.length)] += r.nextBoolean() ? 1 : -1;
                }
                t.put(name, Tensor.zeros(shape));
            }
            default -> t.put(r.nextInt(9) + "." + new String[] {"weight", "bias", "beta"}[r.nextInt(3)], Tensor.zeros(2));
        }
        return t;
    }

    private static int headerEnd(byte[] file) {
        long h = 0;
        for (int k = 7; k >= 0; k--) {
            h = (h << 8) | (file[k] & 0xFF);
        }
        return (int) (8 + h);
    }

    private static int architectureStart(byte[] file) {
        String text = new String(file, 0, headerEnd(file), StandardCharsets.ISO_8859_1);
        return text.indexOf(ModelFile.ARCHITECTURE_KEY) + ModelFile.ARCHITECTURE_KEY.length() + 3;
    }

    /** The length and the first bytes (the header) as text, for a failure message. */
    private static String describe(byte[] content) {
        return content.length + " bytes beginning "
                + new String(content, 0, Math.min(content.length, 800), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- helpers

    /** Receives the tensors and metadata of a freshly saved SimpleConvNet to change before writing. */
    private interface Edit {
        void apply(Map<String, Tensor> tensors, Map<String, String> metadata);
    }

    /** Writes SimpleConvNet's file, changed by {@code edit}, as {@code <name>.safetensors}. */
    private Path write(String name, Edit edit) throws IOException {
        Sequential model = SimpleConvNet.create(3);
        Map<String, Tensor> tensors = new LinkedHashMap<>(ModelFile.tensors(model));
        Map<String, String> metadata = new LinkedHashMap<>(ModelFile.metadata(model, MNIST_SAMPLE, Map.of()));
        edit.apply(tensors, metadata);
        Path file = dir.resolve(name + ".safetensors");
        SafeTensors.write(file, tensors, metadata);
        return file;
    }

    private static void editArchitecture(Map<String, String> metadata, UnaryOperator<String> change) {
        String before = metadata.get(ModelFile.ARCHITECTURE_KEY);
        String after = change.apply(before);
        assertTrue(!before.equals(after), "the edit changed nothing in " + before);
        metadata.put(ModelFile.ARCHITECTURE_KEY, after);
    }

    /** Loading {@code file} fails with a CorruptFileException naming it and containing every fragment. */
    private static void assertCorrupt(Path file, String... fragments) {
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> ModelFile.load(file, LayerRegistry.withBuiltins()));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
    }
}
