package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.tensor.Tensor;

class IdxReaderTest {
    /** Three 2×3 images; 128 and 255 check that bytes are read unsigned. */
    private static final byte[] PIXELS = {
        0, 1, 2, 3, 4, 5,
        (byte) 128, (byte) 255, 7, 8, 9, 10,
        11, 12, 13, 14, 15, (byte) 200,
    };
    private static final byte[] IMAGES = IdxBytes.images(2, 3, PIXELS);
    private static final byte[] LABELS = IdxBytes.labels(0, 9, 4);

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader();

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private CorruptFileException imagesError(byte[] bytes) throws IOException {
        Path file = write("images-idx3-ubyte", bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> reader.readImages(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private CorruptFileException labelsError(byte[] bytes) throws IOException {
        Path file = write("labels-idx1-ubyte", bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> reader.readLabels(file, 10));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private static void assertAt(CorruptFileException e, long offset, String... parts) {
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(" at byte " + offset + ": "), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsValidImagesAsUnsignedScaledNchw(boolean gzip) throws IOException {
        Path file = write("images", gzip ? IdxBytes.gzip(IMAGES) : IMAGES);
        Tensor t = reader.readImages(file);
        assertArrayEquals(new int[] {3, 1, 2, 3}, t.shape());
        assertEquals(0f, t.get(0, 0, 0, 0));
        assertEquals(5 / 255f, t.get(0, 0, 1, 2));
        assertEquals(128 / 255f, t.get(1, 0, 0, 0));
        assertEquals(1f, t.get(1, 0, 0, 1));
        assertEquals(200 / 255f, t.get(2, 0, 1, 2));
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsValidLabels(boolean gzip) throws IOException {
        Path file = write("labels", gzip ? IdxBytes.gzip(LABELS) : LABELS);
        assertArrayEquals(new int[] {0, 9, 4}, reader.readLabels(file, 10));
    }

    @Test
    void zeroLengthFile() throws IOException {
        assertAt(imagesError(new byte[0]), 0, "0x00000803", "empty");
        assertAt(labelsError(new byte[0]), 0, "0x00000801", "empty");
    }

    @Test
    void labelsFileReadAsImagesNamesBothMagicNumbers() throws IOException {
        assertAt(imagesError(LABELS), 0, "expected the magic number 0x00000803 (IDX images",
                "found 0x00000801 (IDX labels");
        assertAt(labelsError(IMAGES), 0, "expected the magic number 0x00000801", "found 0x00000803");
    }

    @Test
    void badMagic() throws IOException {
        byte[] bytes = IMAGES.clone();
        bytes[0] = 0x12;
        assertAt(imagesError(bytes), 0, "0x12000803", "not an IDX magic number");
        bytes = IMAGES.clone();
        bytes[2] = 0x0D;
        assertAt(imagesError(bytes), 0, "0x00000D03 (IDX floats, 3 dimensions)");
        assertAt(imagesError(IdxBytes.gzip(IdxBytes.gzip(IMAGES))), 0, "compressed twice");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertAt(imagesError(Arrays.copyOf(IMAGES, 2)), 2, "magic number", "ends after 2 bytes");
        assertAt(imagesError(Arrays.copyOf(IMAGES, 10)), 10, "row count");
        assertAt(labelsError(Arrays.copyOf(LABELS, 7)), 7, "label count");
    }

    @Test
    void truncatedRawData() throws IOException {
        assertAt(imagesError(Arrays.copyOf(IMAGES, 16 + 5)), 21, "expected 18 bytes of pixel data",
                "3 images of 2×3 pixels", "ends after 5 of them");
        assertAt(labelsError(Arrays.copyOf(LABELS, 9)), 9, "expected 3 bytes of label data", "ends after 1 of them");
    }

    @Test
    void truncatedGzip() throws IOException {
        // Incompressible pixels, so that a cut in the compressed stream lands inside the pixel data.
        byte[] pixels = new byte[100 * 28 * 28];
        new java.util.Random(7).nextBytes(pixels);
        byte[] gz = IdxBytes.gzip(IdxBytes.images(28, 28, pixels));
        CorruptFileException e = imagesError(Arrays.copyOf(gz, gz.length / 2));
        assertTrue(e.offset() > 16 && e.offset() < 16 + pixels.length, e.getMessage());
        assertAt(e, e.offset(), "pixel data", "gzip data is damaged or truncated");
        // Cut inside the 8-byte trailer (CRC and length): all pixels arrive, the end check fails.
        assertAt(imagesError(Arrays.copyOf(gz, gz.length - 3)), 16 + pixels.length, "gzip");
        // Cut inside the 10-byte gzip header.
        assertAt(imagesError(Arrays.copyOf(gz, 5)), 0, "gzip header");
        // Cut inside the compressed data of a labels file: the offset is where decompression stopped.
        e = labelsError(Arrays.copyOf(IdxBytes.gzip(LABELS), 15));
        assertTrue(e.offset() >= 0 && e.offset() <= LABELS.length, e.getMessage());
        assertAt(e, e.offset(), "gzip data is damaged or truncated");
    }

    @Test
    void gzipWithWrongChecksum() throws IOException {
        byte[] gz = IdxBytes.gzip(LABELS);
        gz[gz.length - 8] ^= 1; // first CRC-32 byte of the trailer
        assertAt(labelsError(gz), 11, "Corrupt GZIP trailer");
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] extra = {1, 2, 3};
        assertAt(imagesError(IdxBytes.concat(IMAGES, extra)), 34, "expected the end of the data after the 3 images",
                "found 3 more bytes");
        assertAt(imagesError(IdxBytes.gzip(IdxBytes.concat(IMAGES, extra))), 34, "found 3 more bytes");
        assertAt(labelsError(IdxBytes.concat(LABELS, extra)), 11, "3 labels", "found 3 more bytes");
    }

    @Test
    void labelOutOfRangeReadUnsigned() throws IOException {
        assertAt(labelsError(IdxBytes.labels(1, 12, 3)), 9, "expected a label in [0, 10) but found 12",
                "label number 1");
        assertAt(labelsError(IdxBytes.labels(0, 1, 255)), 10, "found 255");
    }

    @Test
    void labelsAgainstOtherClassCounts() throws IOException {
        Path file = write("labels", IdxBytes.labels(0, 1, 2));
        assertArrayEquals(new int[] {0, 1, 2}, reader.readLabels(file, 3));
        assertEquals(10, assertThrows(CorruptFileException.class, () -> reader.readLabels(file, 2)).offset());
        assertThrows(IllegalArgumentException.class, () -> reader.readLabels(file, 0));
    }

    @Test
    void nonPositiveDimensions() throws IOException {
        assertAt(imagesError(IdxBytes.images(0, 28, 28, new byte[0])), 4, "positive image count but found 0");
        assertAt(imagesError(IdxBytes.images(1, -28, 28, new byte[0])), 8, "positive row count but found -28");
        assertAt(imagesError(IdxBytes.images(1, 28, 0, new byte[0])), 12, "positive column count but found 0");
        assertAt(labelsError(IdxBytes.header(IdxReader.LABELS_MAGIC, -1)), 4, "positive label count but found -1");
    }

    @Test
    void dimensionsOverflowingAnArray() throws IOException {
        // 60000^3 overflows int and long would need care; 65536 × 65536 alone is 2^32.
        assertAt(imagesError(IdxBytes.header(IdxReader.IMAGES_MAGIC, 60000, 60000, 60000)), 4,
                "60000 images of 60000×60000 pixels (216000000000000 pixels)", "fit in one array");
        assertAt(imagesError(IdxBytes.header(IdxReader.IMAGES_MAGIC, 1, 65536, 65536)), 4, "fit in one array");
        assertAt(imagesError(IdxBytes.header(IdxReader.IMAGES_MAGIC, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE)), 4, "fit in one array");
    }

    @Test
    void dimensionsExceedingMemoryAreRejectedBeforeReading() throws IOException {
        // 2000 images of 1000×1000 pixels fit in one array (2e9 < 2^31) but need 10 GB to load.
        assertAt(imagesError(IdxBytes.header(IdxReader.IMAGES_MAGIC, 2000, 1000, 1000)), 4,
                "need 10000000000 bytes of memory");
        Path file = write("big", IdxBytes.images(28, 28, new byte[100 * 28 * 28]));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> new IdxReader(100_000).readImages(file));
        assertAt(e, 4, "100 images of 28×28 pixels", "need 392000 bytes", "limit is 100000 bytes");
        assertThrows(IllegalArgumentException.class, () -> new IdxReader(0));
    }

    @Test
    void headerDeclaringMoreThanPresentFailsAsTruncated() throws IOException {
        // Large but loadable declared size, tiny file: the reader must not allocate it up front.
        assertAt(imagesError(IdxBytes.images(100_000, 28, 28, new byte[10])), 26, "78400000 bytes of pixel data",
                "ends after 10 of them");
    }

    @Test
    void bytesAfterTheGzipDataAreIgnoredLikeGunzipDoes() throws IOException {
        Path file = write("labels", IdxBytes.concat(IdxBytes.gzip(LABELS), new byte[] {9, 9, 9}));
        assertArrayEquals(new int[] {0, 9, 4}, reader.readLabels(file, 10));
    }

    @Test
    void concatenatedGzipMembersAreOneContent() throws IOException {
        byte[] twoMembers = IdxBytes.concat(IdxBytes.gzip(Arrays.copyOf(LABELS, 9)),
                IdxBytes.gzip(Arrays.copyOfRange(LABELS, 9, LABELS.length)));
        assertArrayEquals(new int[] {0, 9, 4}, reader.readLabels(write("labels", twoMembers), 10));
    }

    @Test
    void missingFileIsNotCorruption() {
        Path missing = dir.resolve("nothing-here");
        assertThrows(NoSuchFileException.class, () -> reader.readImages(missing));
    }
}
