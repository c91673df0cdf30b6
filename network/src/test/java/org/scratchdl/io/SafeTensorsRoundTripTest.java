package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchdl.io.SafeTensorsTestFiles.entry;
import static org.scratchdl.io.SafeTensorsTestFiles.f32;
import static org.scratchdl.io.SafeTensorsTestFiles.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scratchdl.tensor.Tensor;

class SafeTensorsRoundTripTest {
    private static final Path NAME = Path.of("memory.safetensors");

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        Random random = new Random(42);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv.W", Tensor.randn(random, 0.1f, 3, 2, 5, 5));
        tensors.put("scalar", Tensor.of(new float[] {Float.NaN}));
        tensors.put("bias", Tensor.of(new float[] {-0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3.5f}, 4));
        tensors.put("empty", Tensor.zeros(0, 7));
        tensors.put("affine.W", Tensor.randn(random, 1f, 30, 10));
        tensors.put("ünïcødé \"quoted\" name", Tensor.arange(2, 3));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "scratchdl");
        metadata.put("note", "tabs\tand\nnewlines, ünïcødé");
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile read = SafeTensors.read(file);

        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor back = read.tensor(e.getKey());
            assertArrayEquals(e.getValue().shape(), back.shape(), e.getKey());
            assertEquals(e.getValue().size(), back.size(), e.getKey());
            for (int i = 0; i < back.size(); i++) {
                assertEquals(Float.floatToRawIntBits(e.getValue().data()[i]), Float.floatToRawIntBits(back.data()[i]),
                        e.getKey() + "[" + i + "]");
            }
        }
        assertEquals(0, read.tensor("scalar").rank());
        assertEquals(metadata, read.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(read.metadata().keySet()));
        assertArrayEquals(Files.readAllBytes(file), SafeTensors.toBytes(tensors, metadata));
        assertEquals(List.of(file), listFolder());
    }

    @Test
    void byteLayoutOfASmallFileFollowsTheSpecification() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new float[] {1.0f, -2.0f}, 2));
        tensors.put("a", Tensor.of(new float[] {0.5f}));

        byte[] bytes = SafeTensors.toBytes(tensors, Map.of());

        String json = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        assertEquals(107, json.length());
        assertEquals(112, padded);
        // header length: unsigned 64-bit little-endian
        assertArrayEquals(new byte[] {112, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(bytes, 0, 8));
        assertEquals(json + "     ", new String(bytes, 8, padded, StandardCharsets.US_ASCII));
        // data in map order: 1.0f = 0x3F800000, -2.0f = 0xC0000000, 0.5f = 0x3F000000, little-endian
        byte[] data = Arrays.copyOfRange(bytes, 8 + padded, bytes.length);
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0x3F}, data);
    }

    @Test
    void emptyFileAndMetadataOnlyFileHaveTheReferenceBytes() throws IOException {
        byte[] empty = SafeTensors.toBytes(Map.of(), Map.of());
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '}, empty);
        assertTrue(SafeTensors.read(empty, NAME).tensors().isEmpty());

        byte[] meta = SafeTensors.toBytes(Map.of(), Map.of("framework", "pt"));
        assertEquals(8 + 40, meta.length);
        assertEquals(40, meta[0]);
        assertEquals("{\"__metadata__\":{\"framework\":\"pt\"}}     ",
                new String(meta, 8, 40, StandardCharsets.US_ASCII));
        assertEquals(Map.of("framework", "pt"), SafeTensors.read(meta, NAME).metadata());
    }

    @Test
    void headerPaddingKeepsTensorDataAlignedToEightBytes() {
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            byte[] bytes = SafeTensors.toBytes(Map.of("x".repeat(nameLength), Tensor.zeros(1)), Map.of());
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(0, headerLength % 8, "name length " + nameLength);
            assertEquals(8 + headerLength + 4, bytes.length);
        }
    }

    @Test
    void readerOrdersTensorsByOffsetWhateverTheHeaderOrder() throws IOException {
        String header = "{" + entry("second", "[1]", 4, 8) + ", \"__metadata__\": {\"k\": \"v\"}, "
                + entry("first", "[1]", 0, 4) + "}\n\t \r";
        SafeTensorsFile read = SafeTensors.read(file(header, f32(1f, 2f)), NAME);
        assertEquals(List.of("first", "second"), List.copyOf(read.tensors().keySet()));
        assertEquals(1f, read.tensor("first").data()[0]);
        assertEquals(2f, read.tensor("second").data()[0]);
        assertEquals(Map.of("k", "v"), read.metadata());
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        String header = "{" + entry("a", "[0]", 0, 0) + ", " + entry("b", "[1]", 0, 4) + ", "
                + entry("c", "[3, 0, 2]", 4, 4) + ", " + entry("d", "[0]", 4, 4) + "}";
        SafeTensorsFile read = SafeTensors.read(file(header, f32(7f)), NAME);
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(read.tensors().keySet()));
        assertArrayEquals(new int[] {3, 0, 2}, read.tensor("c").shape());
        assertEquals(7f, read.tensor("b").data()[0]);
    }

    @Test
    void otherFloatDtypesAreConvertedToFloat32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 * 2 + 2 * 3 + 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(-1e300);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001);
        data.putShort((short) 0x3F80).putShort((short) 0xC049);
        String header = "{\"d\": {\"dtype\": \"F64\", \"shape\": [2], \"data_offsets\": [0, 16]},"
                + " \"h\": {\"dtype\": \"F16\", \"shape\": [3], \"data_offsets\": [16, 22]},"
                + " \"b\": {\"dtype\": \"BF16\", \"shape\": [2], \"data_offsets\": [22, 26]}}";
        SafeTensorsFile read = SafeTensors.read(file(header, data.array()), NAME);
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, read.tensor("d").data());
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, read.tensor("h").data());
        assertArrayEquals(new float[] {1f, -3.140625f}, read.tensor("b").data());
    }

    @ParameterizedTest(name = "half 0x{0} = {1}")
    @CsvSource({
        "0000, 0.0", "8000, -0.0", "3C00, 1.0", "C000, -2.0", "3555, 0.333251953125", "7BFF, 65504.0",
        "0400, 6.103515625E-5", "03FF, 6.097555160522461E-5", "0001, 5.960464477539063E-8",
        "7C00, Infinity", "FC00, -Infinity"
    })
    void halfPrecisionWidensExactly(String bits, double expected) {
        float value = SafeTensorsDtype.halfToFloat(Integer.parseInt(bits, 16));
        assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits(value));
    }

    @Test
    void halfPrecisionNaNStaysNaN() {
        assertTrue(Float.isNaN(SafeTensorsDtype.halfToFloat(0x7E00)));
        assertTrue(Float.isNaN(SafeTensorsDtype.halfToFloat(0xFC01)));
    }

    @Test
    void largeTensorIsReadInSeveralChunks() throws IOException {
        Tensor big = Tensor.randn(new Random(1), 1f, 600, 1000);
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, Map.of("big", big), Map.of());
        assertArrayEquals(big.data(), SafeTensors.read(file).tensor("big").data());
    }

    @Test
    void writerRejectsReservedOrNullNamesAndNullValues() {
        Tensor t = Tensor.zeros(1);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of("__metadata__", t), Map.of()));
        Map<String, Tensor> nullName = new LinkedHashMap<>();
        nullName.put(null, t);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(nullName, Map.of()));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("x", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(nullTensor, Map.of()));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of(), nullValue));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(Map.of("lone \uD800 surrogate", t), Map.of()));
    }

    @Test
    void invalidArgumentsLeaveNoFileBehind() {
        Path file = dir.resolve("never.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.zeros(1)), Map.of()));
        assertEquals(List.of(), listFolder());
    }

    @Test
    void missingTensorNameIsReportedWithTheNamesPresent() throws IOException {
        SafeTensorsFile read = SafeTensors.read((file("{" + entry("w", "[1]", 0, 4) + "}", f32(1f))), NAME);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read.tensor("v"));
        assertTrue(e.getMessage().contains("'v'") && e.getMessage().contains("[w]"), e.getMessage());
    }

    private List<Path> listFolder() {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
