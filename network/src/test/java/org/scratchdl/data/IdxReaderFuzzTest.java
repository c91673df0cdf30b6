package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.tensor.Tensor;

/**
 * Feeds the reader random and mutated bytes: it must either read a valid result or throw a
 * {@link CorruptFileException} naming the file, and nothing else, whatever the bytes.
 */
class IdxReaderFuzzTest {
    private static final long SEED = 0x5EED_1DF1L;
    private static final int CASES = 12_000;
    private static final int CASE_KINDS = 8;

    @TempDir
    Path dir;

    @Test
    void onlyValidResultsOrCorruptFileExceptions() throws IOException {
        Random random = new Random(SEED);
        byte[] pixels = new byte[4 * 3 * 3];
        random.nextBytes(pixels);
        byte[] images = IdxBytes.images(3, 3, pixels);
        byte[] labels = IdxBytes.labels(3, 1, 4, 1, 5, 9);
        // A small reader limit keeps mutated headers from asking for large (but legal) buffers.
        IdxReader reader = new IdxReader(1 << 20);
        Path file = dir.resolve("fuzz-idx-ubyte");
        int[] valid = new int[2];
        int[] corrupt = new int[2];
        for (int i = 0; i < CASES; i++) {
            int kind = i % CASE_KINDS;
            byte[] bytes = generate(kind, random, images, labels);
            // Every 16th case goes through a real file; the others through the same decoder in memory,
            // which keeps the loop fast.
            boolean onDisk = i % 16 == 0;
            if (onDisk) {
                Files.write(file, bytes);
            }
            String what = "case " + i + " (kind " + kind + ", seed " + SEED + "): "
                    + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64));
            try {
                Tensor t = onDisk ? reader.readImages(file) : reader.readImages(file, new ByteArrayInputStream(bytes));
                checkImages(t, bytes, what);
                valid[0]++;
            } catch (CorruptFileException e) {
                checkError(e, file, what);
                corrupt[0]++;
            } catch (Throwable t) {
                fail("readImages threw " + t + " for " + what, t);
            }
            try {
                int[] result = onDisk ? reader.readLabels(file, 10)
                        : reader.readLabels(file, new ByteArrayInputStream(bytes), 10);
                for (int label : result) {
                    assertTrue(label >= 0 && label < 10, what);
                }
                valid[1]++;
            } catch (CorruptFileException e) {
                checkError(e, file, what);
                corrupt[1]++;
            } catch (Throwable t) {
                fail("readLabels threw " + t + " for " + what, t);
            }
        }
        // Both outcomes occur for both readers, so the loop exercised the decoding and the checks.
        for (int r = 0; r < 2; r++) {
            assertTrue(valid[r] > 100 && corrupt[r] > 1000, "valid " + Arrays.toString(valid) + ", corrupt "
                    + Arrays.toString(corrupt));
        }
        assertEquals(CASES, valid[0] + corrupt[0]);
    }

    private static void checkImages(Tensor t, byte[] bytes, String what) {
        assertEquals(4, t.rank(), what);
        assertEquals(1, t.dim(1), what);
        for (float v : t.data()) {
            assertTrue(v >= 0f && v <= 1f, what);
        }
    }

    private static void checkError(CorruptFileException e, Path file, String what) {
        assertEquals(file, e.file(), what);
        assertTrue(e.getMessage().startsWith(file + " at byte ") && e.offset() >= 0, e.getMessage() + " for " + what);
    }

    private static byte[] generate(int kind, Random random, byte[] images, byte[] labels) {
        byte[] valid = random.nextBoolean() ? images : labels;
        switch (kind) {
            case 0: // random bytes
                return randomBytes(random, random.nextInt(80));
            case 1: // mutated raw file
                return mutate(random, valid);
            case 2: // gzip of a mutated file
                return IdxBytes.gzip(mutate(random, valid));
            case 3: // mutated gzip bytes (header, deflate data or trailer)
                return mutate(random, IdxBytes.gzip(valid));
            case 4: { // truncation of a raw or gzip file
                byte[] b = random.nextBoolean() ? valid : IdxBytes.gzip(valid);
                return Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            case 5: { // a correct magic number with random dimensions and a random body
                int magic = valid == images ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
                int dims = valid == images ? 3 : 1;
                ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims).putInt(magic);
                for (int d = 0; d < dims; d++) {
                    b.putInt(randomDimension(random));
                }
                byte[] body = randomBytes(random, random.nextInt(64));
                byte[] bytes = IdxBytes.concat(b.array(), body);
                return random.nextBoolean() ? bytes : IdxBytes.gzip(bytes);
            }
            case 6: { // random bytes after a gzip magic
                byte[] b = randomBytes(random, 2 + random.nextInt(60));
                b[0] = 0x1F;
                b[1] = (byte) 0x8B;
                if (b.length > 2 && random.nextBoolean()) {
                    b[2] = 8; // deflate, so the header parser goes further
                }
                return b;
            }
            default: // valid content followed by extra bytes, raw or gzip
                byte[] b = IdxBytes.concat(valid, randomBytes(random, random.nextInt(4)));
                return random.nextBoolean() ? b : IdxBytes.gzip(b);
        }
    }

    private static int randomDimension(Random random) {
        switch (random.nextInt(5)) {
            case 0: return random.nextInt();
            case 1: return random.nextInt(5) - 1;
            case 2: return Integer.MAX_VALUE - random.nextInt(3);
            case 3: return 1 << random.nextInt(31);
            default: return 1 + random.nextInt(4);
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** 1–4 random edits: set a byte, flip a bit, insert or delete a byte. */
    private static byte[] mutate(Random random, byte[] original) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int op = random.nextInt(4);
            if (b.length == 0) {
                op = 2;
            }
            int at = random.nextInt(Math.max(1, b.length));
            switch (op) {
                case 0:
                    b[at] = (byte) random.nextInt(256);
                    break;
                case 1:
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 2: {
                    byte[] c = new byte[b.length + 1];
                    int pos = random.nextInt(b.length + 1);
                    System.arraycopy(b, 0, c, 0, pos);
                    c[pos] = (byte) random.nextInt(256);
                    System.arraycopy(b, pos, c, pos + 1, b.length - pos);
                    b = c;
                    break;
                }
                default: {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
            }
        }
        return b;
    }
}
