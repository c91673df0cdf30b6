package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scratchdl.io.SafeTensorsTestFiles.concat;
import static org.scratchdl.io.SafeTensorsTestFiles.entry;
import static org.scratchdl.io.SafeTensorsTestFiles.f32;
import static org.scratchdl.io.SafeTensorsTestFiles.file;
import static org.scratchdl.io.SafeTensorsTestFiles.zeros;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a safetensors file can be wrong, each read from a real file: the error must be a
 * {@link CorruptFileException} naming the file, the byte offset and (where there is one) the
 * tensor.
 */
class SafeTensorsCorruptionTest {
    /** A valid header: one F32 tensor "w" of shape (2,) at data bytes [0, 8). */
    private static final String VALID = "{" + entry("w", "[2]", 0, 8) + "}";

    @TempDir
    Path dir;

    /** One corrupt file: its bytes, where the problem is, and words the message must contain. */
    record Case(byte[] content, long offset, List<String> words) {
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // --- the 8-byte header length ---
        add(cases, "empty file", new byte[0], 0, "0 bytes", "too few");
        add(cases, "file shorter than 8 bytes", new byte[7], 0, "7 bytes", "too few");
        byte[] header = VALID.getBytes(StandardCharsets.UTF_8);
        add(cases, "header length beyond the file", file(1000, header, f32(1, 2)), 0, "header length 1000",
                "past the end of the file");
        add(cases, "header length over the 100 MB limit", file(100_000_001, header, f32(1, 2)), 0,
                "100000001", "limit of 100000000");
        add(cases, "header length with the top bit set", file(-1L, header, f32(1, 2)), 0,
                "18446744073709551615", "limit");
        add(cases, "header length zero", file(0, new byte[0], f32(1, 2)), 8, "starting with '{'");
        add(cases, "header length cutting the JSON short", file(header.length - 3, header, f32(1, 2)), -2,
                "not valid JSON");

        // --- the header as text ---
        byte[] badUtf8 = header.clone();
        badUtf8[2] = (byte) 0xFF; // inside the name "w"
        add(cases, "header not UTF-8", file(badUtf8.length, badUtf8, f32(1, 2)), 8 + 2, "not valid UTF-8");
        byte[] overlong = concat("{\"".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC0, (byte) 0xAF},
                "\": 1}".getBytes(StandardCharsets.US_ASCII));
        add(cases, "header with an overlong UTF-8 sequence", file(overlong.length, overlong, new byte[0]), 8 + 2,
                "not valid UTF-8");
        addHeader(cases, "header not JSON (missing colon)", "{\"w\": {\"dtype\" \"F32\"}}", "\"F32\"",
                "not valid JSON");
        addHeader(cases, "header JSON unterminated", "{" + entry("w", "[2]", 0, 8), -2, "not valid JSON",
                "end-of-input", "[line: 1, column: 1]");
        addHeader(cases, "header with a raw control character", "{\"w\n\": 1}", -2, "not valid JSON");
        addHeader(cases, "header number with 2000 digits",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [" + "9".repeat(2000) + "]}}", -2, "not valid JSON");
        addHeader(cases, "header a JSON array", "[1, 2]", 8, "JSON object");
        addHeader(cases, "header starting with a space", " {}", 8, "starting with '{'");
        addHeader(cases, "content after the header object", VALID + "  {}", "{}", "after the header object");
        addHeader(cases, "garbage after the header object", VALID + " x", -2, "not valid JSON", "'x'");

        // --- entries that are not tensor descriptions ---
        addHeader(cases, "entry a number", "{\"w\": 5}", "5", "tensor 'w'", "JSON object");
        addHeader(cases, "entry an array", "{\"w\": [0, 8]}", "[", "tensor 'w'", "JSON object");
        addHeader(cases, "entry without data_offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [2]}}", "\"w\"",
                "tensor 'w'", "lacks data_offsets");
        addHeader(cases, "entry without dtype", "{\"w\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", "\"w\"",
                "tensor 'w'", "lacks dtype");
        addHeader(cases, "entry with an unexpected key",
                "{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8], \"extra\": 1}}", "\"extra\"",
                "tensor 'w'", "unexpected key 'extra'");
        addHeader(cases, "entry with a duplicate key",
                "{\"w\": {\"dtype\": \"F32\", \"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}",
                ", \"dtype\"", 2, "tensor 'w'", "duplicate key 'dtype'");
        addHeader(cases, "duplicate tensor name", "{" + entry("w", "[1]", 0, 4) + ", " + entry("w", "[1]", 4, 8)
                + "}", ", \"w\"", 2, "duplicate key 'w'");

        // --- __metadata__ ---
        addHeader(cases, "metadata a string", "{\"__metadata__\": \"pt\"}", "\"pt\"", "__metadata__",
                "JSON object of strings");
        addHeader(cases, "metadata value a number", "{\"__metadata__\": {\"epoch\": 3}}", "3", "'epoch'",
                "must be a string");
        addHeader(cases, "metadata value null", "{\"__metadata__\": {\"k\": null}}", "null", "'k'",
                "must be a string, not null");
        addHeader(cases, "metadata value nested", "{\"__metadata__\": {\"k\": {\"a\": \"b\"}}}", "{\"a\"", "'k'",
                "must be a string");
        addHeader(cases, "metadata twice", "{\"__metadata__\": {}, \"__metadata__\": {}}", ", \"__", 2,
                "duplicate key '__metadata__'");

        // --- dtype ---
        addHeader(cases, "unknown dtype", descr("\"F33\"", "[2]", "[0, 8]"), "\"F33\"", "tensor 'w'",
                "unknown dtype 'F33'");
        addHeader(cases, "unsupported dtype", descr("\"I64\"", "[1]", "[0, 8]"), "\"I64\"", "tensor 'w'",
                "I64 is not supported");
        addHeader(cases, "dtype not a string", descr("32", "[2]", "[0, 8]"), "32", "tensor 'w'",
                "dtype must be a string");

        // --- shape ---
        addHeader(cases, "negative dimension", descr("\"F32\"", "[-2]", "[0, 8]"), "-2", "tensor 'w'",
                "negative");
        addHeader(cases, "fractional dimension", descr("\"F32\"", "[2.0]", "[0, 8]"), "2.0", "tensor 'w'",
                "non-negative integers, found a non-integer number");
        addHeader(cases, "dimension beyond int", descr("\"F32\"", "[3000000000]", "[0, 8]"), "3000000000",
                "tensor 'w'", "too large");
        addHeader(cases, "shape product overflows", descr("\"F32\"", "[65536, 65536, 65536]", "[0, 8]"), "\"w\"",
                "tensor 'w'", "(65536, 65536, 65536)", "overflows");
        addHeader(cases, "shape not an array", descr("\"F32\"", "2", "[0, 8]"), "2,", "tensor 'w'",
                "shape must be an array");
        addHeader(cases, "shape holding a string", descr("\"F32\"", "[\"2\"]", "[0, 8]"), "\"2\"", "tensor 'w'",
                "found a string");

        // --- data_offsets as numbers ---
        addHeader(cases, "data_offsets with one number", descr("\"F32\"", "[2]", "[0]"), "]}", "tensor 'w'",
                "data_offsets must hold two non-negative integers, found ']'");
        addHeader(cases, "data_offsets with three numbers", descr("\"F32\"", "[2]", "[0, 8, 8]"), "8]",
                "tensor 'w'", "exactly two");
        addHeader(cases, "data_offsets descending", descr("\"F32\"", "[2]", "[8, 0]"), "[8", "tensor 'w'",
                "[8, 0]", "not ascending");
        addHeader(cases, "data_offsets negative", descr("\"F32\"", "[2]", "[-8, 0]"), "-8", "tensor 'w'",
                "negative");
        addHeader(cases, "data_offsets beyond 64 bits", descr("\"F32\"", "[2]", "[0, 99999999999999999999]"),
                "9999", "tensor 'w'", "too large");
        addHeader(cases, "data_offsets as strings", descr("\"F32\"", "[2]", "[\"0\", \"8\"]"), "\"0\"",
                "tensor 'w'", "found a string");
        addHeader(cases, "data_offsets an object", descr("\"F32\"", "[2]", "{}"), "{}", "tensor 'w'",
                "array [begin, end]");

        // --- how the offsets fit the data section (offset = 8 + H + data offset) ---
        String h = "{" + entry("w", "[3]", 0, 12) + "}";
        addData(cases, "tensor reaching past the end of the data", h, f32(1, 2), 0, "tensor 'w'",
                "[0, 12]", "past the end of the data section (8 bytes)");
        h = "{" + entry("a", "[2]", 0, 8) + ", " + entry("b", "[2]", 4, 12) + "}";
        addData(cases, "overlapping tensors", h, zeros(12), 4, "tensor 'b'", "overlap tensor 'a'");
        h = "{" + entry("a", "[1]", 0, 4) + ", " + entry("b", "[1]", 8, 12) + "}";
        addData(cases, "hole between tensors", h, zeros(12), 4, "[4, 8)", "hole before tensor 'b'");
        h = "{" + entry("a", "[1]", 4, 8) + "}";
        addData(cases, "hole before the first tensor", h, zeros(8), 0, "[0, 4)", "hole before tensor 'a'");
        h = "{" + entry("w", "[3]", 0, 8) + "}";
        addData(cases, "byte length not shape times dtype size", h, zeros(8), 0, "tensor 'w'", "span 8 bytes",
                "(3,)", "needs 12");
        h = "{" + entry("w", "[0]", 0, 4) + "}";
        addData(cases, "empty tensor with data bytes", h, zeros(4), 0, "tensor 'w'", "needs 0");
        addData(cases, "trailing bytes after the last tensor", VALID, zeros(12), 8, "4 trailing bytes");
        addData(cases, "data but no tensors", "{}", zeros(4), 0, "4 trailing bytes");
        addData(cases, "data section truncated", VALID, zeros(6), 0, "tensor 'w'", "past the end");
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corruptFileIsReportedWithFileOffsetAndTensor(String name, Case c) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, c.content());

        CorruptFileException e = assertThrows(CorruptFileException.class, () -> SafeTensors.read(file));

        String message = e.getMessage();
        assertEquals(file, e.file());
        assertTrue(message.startsWith(file + " at byte " + e.offset() + ": "), message);
        if (c.offset() >= 0) {
            assertEquals(c.offset(), e.offset(), message);
        } else {
            // a JSON syntax error: somewhere inside the header
            assertTrue(e.offset() >= 8 && e.offset() <= c.content().length, message);
        }
        for (String word : c.words()) {
            assertTrue(message.contains(word), "'" + word + "' missing from: " + message);
        }
        // the same content read from memory gives the same answer
        CorruptFileException fromBytes =
                assertThrows(CorruptFileException.class, () -> SafeTensors.read(c.content(), file));
        assertEquals(message, fromBytes.getMessage());
    }

    @Test
    void everyCaseAboveIsAValidFileOnceRepaired() throws IOException {
        // guards the table: the base file itself reads fine
        assertEquals(2, SafeTensors.read(file(VALID, f32(1, 2)), Path.of("ok")).tensor("w").size());
    }

    private static String descr(String dtype, String shape, String offsets) {
        return "{\"w\": {\"dtype\": " + dtype + ", \"shape\": " + shape + ", \"data_offsets\": " + offsets + "}}";
    }

    private static void add(List<Arguments> cases, String name, byte[] content, long offset, String... words) {
        cases.add(Arguments.of(name, new Case(content, offset, Arrays.asList(words))));
    }

    /** A header problem at a fixed file offset (or -2: anywhere in the header). */
    private static void addHeader(List<Arguments> cases, String name, String header, long offset, String... words) {
        add(cases, name, file(header, new byte[0]), offset, words);
    }

    /** A header problem at the first occurrence of {@code at} in the header. */
    private static void addHeader(List<Arguments> cases, String name, String header, String at, String... words) {
        addHeader(cases, name, header, at, 0, words);
    }

    /** A header problem {@code skip} bytes after the first occurrence of {@code at}. */
    private static void addHeader(List<Arguments> cases, String name, String header, String at, int skip,
            String... words) {
        int index = header.indexOf(at);
        if (index < 0) {
            throw new IllegalArgumentException(at + " not in " + header);
        }
        long offset = 8 + header.substring(0, index).getBytes(StandardCharsets.UTF_8).length + skip;
        add(cases, name, file(header, f32(1, 2)), offset, words);
    }

    /** A data problem at {@code dataOffset} in the data section. */
    private static void addData(List<Arguments> cases, String name, String header, byte[] data, long dataOffset,
            String... words) {
        long headerLength = header.getBytes(StandardCharsets.UTF_8).length;
        add(cases, name, file(header, data), 8 + headerLength + dataOffset, words);
    }
}
