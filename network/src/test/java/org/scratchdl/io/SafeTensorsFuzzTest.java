package org.scratchdl.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.tensor.Shapes;
import org.scratchdl.tensor.Tensor;

/**
 * Seeded fuzzing of the reader: random bytes, mutations of a valid file (bytes changed in the
 * length and the header, truncations, extensions, numbers replaced in the header) and random
 * JSON-like headers. Whatever comes in, the reader must return a consistent result or throw a
 * {@link CorruptFileException} with an offset inside the content, and nothing else.
 */
class SafeTensorsFuzzTest {
    private static final long SEED = 0x5AFE_7E45_0001L;
    private static final int CASES = 12_000;
    private static final int FILE_CASES = 400;
    private static final Path NAME = Path.of("fuzz.safetensors");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final String[] NUMBERS = {"0", "1", "2", "4", "8", "12", "-1", "-0", "3", "16", "24",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "1e2", "2.5", "65536", "100000000"};
    private static final String[] WORDS = {"F32", "F16", "BF16", "F64", "I64", "U8", "f32", "dtype", "shape",
        "data_offsets", "__metadata__", "w", "b", "", "\\u0000", "\\ud800", "\\\"", "ünï"};
    private static final String[] JUNK = {"{", "}", "[", "]", ",", ":", "\"", "\\", "NaN", "01", "-", "tru",
        "\u0000", "\t", "/*", "\uFFFD"};

    @TempDir
    Path dir;

    @Test
    void randomAndMutatedContentGivesAResultOrCorruptFileException() {
        Random random = new Random(SEED);
        byte[] valid = validFile();
        int[] outcomes = new int[2];
        for (int i = 0; i < CASES; i++) {
            byte[] content = generate(random, valid, i);
            outcomes[check(content, i, null)]++;
        }
        // the loop exercised both paths
        assertTrue(outcomes[0] > 200, "valid results: " + outcomes[0]);
        assertTrue(outcomes[1] > CASES / 2, "corrupt files: " + outcomes[1]);
    }

    @Test
    void realFilesBehaveAsContentInMemory() throws IOException {
        Random random = new Random(SEED + 1);
        byte[] valid = validFile();
        Path file = dir.resolve(NAME);
        for (int i = 0; i < FILE_CASES; i++) {
            byte[] content = generate(random, valid, i);
            Files.write(file, content);
            check(content, i, file);
        }
        assertTrue(Files.exists(file));
    }

    @Test
    void unmodifiedFileReadsBack() throws CorruptFileException {
        SafeTensorsFile read = SafeTensors.read(validFile(), NAME);
        assertEquals(4, read.tensors().size());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, read.tensor("a").data());
    }

    /** 0 for a valid result, 1 for a CorruptFileException; fails on anything else. */
    private static int check(byte[] content, int i, Path file) {
        SafeTensorsFile result;
        try {
            result = file == null ? SafeTensors.read(content, NAME) : SafeTensors.read(file);
        } catch (CorruptFileException e) {
            Path expectedName = file == null ? NAME : file;
            assertEquals(expectedName, e.file(), "case " + i);
            assertTrue(e.offset() >= 0 && e.offset() <= content.length,
                    "case " + i + ": offset " + e.offset() + " outside content of " + content.length + " bytes: "
                            + e.getMessage());
            return 1;
        } catch (Throwable t) {
            fail("case " + i + " (seed " + SEED + ") threw " + t + " for content " + describe(content), t);
            return -1;
        }
        long dataBytes = 0;
        for (Map.Entry<String, Tensor> e : result.tensors().entrySet()) {
            assertEquals(Shapes.size(e.getValue().shape()), e.getValue().size(), "case " + i + " " + e.getKey());
            dataBytes += e.getValue().size();
        }
        assertTrue(dataBytes * 2 <= content.length, "case " + i + ": more elements than bytes can hold");
        return 0;
    }

    private static byte[] generate(Random r, byte[] valid, int i) {
        return switch (i % 9) {
            case 0 -> randomBytes(r, r.nextInt(80));
            case 1 -> setRandomBytes(r, valid, 1 + r.nextInt(4), valid.length);
            case 2 -> flipLengthBits(r, valid);
            case 3 -> Arrays.copyOf(valid, r.nextInt(valid.length));
            case 4 -> concat(valid, randomBytes(r, 1 + r.nextInt(16)));
            case 5 -> replaceNumber(r, valid);
            case 6 -> replaceHeaderChar(r, valid);
            case 7 -> jsonishFile(r);
            default -> randomValidFile(r);
        };
    }

    /** Tensors of several shapes, dtypes and metadata, all F32 except one F16 and one BF16. */
    private static byte[] validFile() {
        String header = "{\"__metadata__\": {\"format\": \"pt\"}, "
                + "\"a\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}, "
                + "\"s\": {\"dtype\": \"F32\", \"shape\": [], \"data_offsets\": [24, 28]}, "
                + "\"h\": {\"dtype\": \"F16\", \"shape\": [2], \"data_offsets\": [28, 32]}, "
                + "\"z\": {\"dtype\": \"BF16\", \"shape\": [0, 4], \"data_offsets\": [32, 32]}}";
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 6; k++) {
            data.putFloat(k);
        }
        data.putFloat(-1.5f).putShort((short) 0x3C00).putShort((short) 0x4000);
        return withHeader(header, data.array());
    }

    private static byte[] withHeader(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(data).array();
    }

    private static String headerOf(byte[] valid) {
        long n = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(valid, 8, (int) n, StandardCharsets.UTF_8);
    }

    private static byte[] dataOf(byte[] valid) {
        long n = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return Arrays.copyOfRange(valid, 8 + (int) n, valid.length);
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] setRandomBytes(Random r, byte[] valid, int count, int range) {
        byte[] b = valid.clone();
        for (int k = 0; k < count; k++) {
            b[r.nextInt(range)] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] flipLengthBits(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int flips = 1 + r.nextInt(3);
        for (int k = 0; k < flips; k++) {
            int bit = r.nextInt(64);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
    }

    /** Replaces one number in the header with another, keeping the length prefix right. */
    private static byte[] replaceNumber(Random r, byte[] valid) {
        String header = headerOf(valid);
        Matcher m = NUMBER.matcher(header);
        int count = 0;
        while (m.find()) {
            count++;
        }
        int target = r.nextInt(count);
        m.reset();
        for (int k = 0; k <= target; k++) {
            m.find();
        }
        String replacement = r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)] : Integer.toString(r.nextInt(40));
        String mutated = header.substring(0, m.start()) + replacement + header.substring(m.end());
        return withHeader(mutated, dataOf(valid));
    }

    /** Replaces or inserts one character of the header, keeping the length prefix right. */
    private static byte[] replaceHeaderChar(Random r, byte[] valid) {
        String header = headerOf(valid);
        int at = r.nextInt(header.length());
        String piece = r.nextBoolean() ? JUNK[r.nextInt(JUNK.length)] : String.valueOf((char) (32 + r.nextInt(95)));
        String mutated = header.substring(0, at) + piece + header.substring(at + (r.nextBoolean() ? 1 : 0));
        return withHeader(mutated, dataOf(valid));
    }

    /** A header assembled from JSON-like pieces, with data that sometimes fits its offsets. */
    private static byte[] jsonishFile(Random r) {
        StringBuilder sb = new StringBuilder("{");
        int members = r.nextInt(4);
        long offset = 0;
        for (int k = 0; k < members; k++) {
            if (k > 0) {
                sb.append(r.nextInt(20) == 0 ? "" : ", ");
            }
            if (r.nextInt(3) == 0) {
                sb.append('"').append(WORDS[r.nextInt(WORDS.length)]).append("\": ").append(value(r, 0));
            } else {
                int n = r.nextInt(4);
                String dtype = r.nextInt(4) == 0 ? WORDS[r.nextInt(WORDS.length)] : "F32";
                long end = r.nextInt(5) == 0 ? offset + r.nextInt(9) : offset + 4L * n;
                sb.append("\"t").append(k).append("\": {\"dtype\": \"").append(dtype).append("\", \"shape\": [")
                        .append(n).append("], \"data_offsets\": [").append(offset).append(", ").append(end)
                        .append("]}");
                offset = end;
            }
        }
        sb.append(r.nextInt(10) == 0 ? value(r, 0) : "}");
        sb.append(" ".repeat(r.nextInt(8)));
        int dataLength = r.nextInt(3) == 0 ? r.nextInt(64) : (int) offset;
        return withHeader(sb.toString(), randomBytes(r, dataLength));
    }

    private static String value(Random r, int depth) {
        switch (r.nextInt(depth > 3 ? 4 : 7)) {
            case 0:
                return NUMBERS[r.nextInt(NUMBERS.length)];
            case 1:
                return "\"" + WORDS[r.nextInt(WORDS.length)] + "\"";
            case 2:
                return r.nextBoolean() ? "null" : "true";
            case 3:
                return JUNK[r.nextInt(JUNK.length)];
            case 4:
            case 5: {
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    sb.append(k > 0 ? ", " : "").append('"').append(WORDS[r.nextInt(WORDS.length)]).append("\": ")
                            .append(value(r, depth + 1));
                }
                return sb.append('}').toString();
            }
            default: {
                StringBuilder sb = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    sb.append(k > 0 ? ", " : "").append(value(r, depth + 1));
                }
                return sb.append(']').toString();
            }
        }
    }

    /** A file written by {@link SafeTensors#toBytes} from random tensors. */
    private static byte[] randomValidFile(Random r) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int[] shape = new int[r.nextInt(4)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = r.nextInt(4);
            }
            tensors.put("t" + k, Tensor.randn(r, 1f, shape));
        }
        return SafeTensors.toBytes(tensors, r.nextBoolean() ? Map.of() : Map.of("k", "v" + r.nextInt(10)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String describe(byte[] content) {
        return content.length + " bytes " + new String(content, StandardCharsets.ISO_8859_1);
    }
}
