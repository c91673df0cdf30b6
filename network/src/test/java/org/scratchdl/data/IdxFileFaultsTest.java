package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.io.CorruptFileException;

/**
 * File faults the IDX tests and the fuzz test leave out: every possible truncation of a gzip file
 * (not a random sample), label headers whose count would overflow an array or the memory (the
 * existing tests cover images), empty {@code .gz} files, and a count mismatch in the training pair
 * with fewer labels than images.
 */
class IdxFileFaultsTest {
    private static final Path NAME = Path.of("t10k-idx-ubyte.gz");

    @TempDir
    Path dir;

    @Test
    void everyTruncationOfAGzipFileIsCorruptNeverAShortResult() throws IOException {
        Random random = new Random(9);
        byte[] pixels = new byte[6 * 5 * 5];
        random.nextBytes(pixels);
        byte[] images = IdxBytes.gzip(IdxBytes.images(5, 5, pixels));
        byte[] labels = IdxBytes.gzip(IdxBytes.labels(3, 1, 4, 1, 5, 9));
        IdxReader reader = new IdxReader();
        for (int cut = 0; cut < images.length; cut++) {
            byte[] part = Arrays.copyOf(images, cut);
            CorruptFileException e = assertThrows(CorruptFileException.class,
                    () -> reader.readImages(NAME, new ByteArrayInputStream(part)), "images cut at " + cut);
            assertTrue(e.offset() >= 0 && e.offset() <= 16 + pixels.length, e.getMessage());
        }
        for (int cut = 0; cut < labels.length; cut++) {
            byte[] part = Arrays.copyOf(labels, cut);
            assertThrows(CorruptFileException.class, () -> reader.readLabels(NAME, new ByteArrayInputStream(part), 10),
                    "labels cut at " + cut);
        }
        // The whole files still read, so every failure above came from the cut.
        assertEquals(6, reader.readImages(NAME, new ByteArrayInputStream(images)).dim(0));
        assertArrayEquals(new int[] {3, 1, 4, 1, 5, 9}, reader.readLabels(NAME, new ByteArrayInputStream(labels), 10));
    }

    @Test
    void labelCountBeyondAnArrayIsRejectedFromTheHeader() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            byte[] header = IdxBytes.header(IdxReader.LABELS_MAGIC, Integer.MAX_VALUE);
            Path file = Files.write(dir.resolve("huge-labels" + gzip), gzip ? IdxBytes.gzip(header) : header);
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> new IdxReader().readLabels(file, 10));
            assertEquals(4, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains("2147483647 labels") && e.getMessage().contains("fit in one array"),
                    e.getMessage());
        }
    }

    @Test
    void labelCountBeyondTheMemoryLimitIsRejectedBeforeReading() throws IOException {
        // 1.5 billion labels fit in one array but need 7.5 GB while loading: far beyond the test heap,
        // so the reader must refuse from the header instead of trying.
        Path file = Files.write(dir.resolve("big-labels"), IdxBytes.header(IdxReader.LABELS_MAGIC, 1_500_000_000));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> new IdxReader().readLabels(file, 10));
        assertEquals(4, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("1500000000 labels, which need 7500000000 bytes of memory"), e.getMessage());

        Path small = Files.write(dir.resolve("labels"), IdxBytes.labels(new int[1000]));
        CorruptFileException limited = assertThrows(CorruptFileException.class,
                () -> new IdxReader(4_999).readLabels(small, 10));
        assertTrue(limited.getMessage().contains("need 5000 bytes") && limited.getMessage().contains("limit is 4999"),
                limited.getMessage());
        assertEquals(1000, new IdxReader(5_000).readLabels(small, 10).length);
    }

    @Test
    void emptyGzFilesAreCorrupt() throws IOException {
        Path empty = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> new IdxReader().readImages(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        // A valid gzip stream of nothing: the gzip layer is fine, the IDX content is empty.
        Path emptyContent = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxBytes.gzip(new byte[0]));
        e = assertThrows(CorruptFileException.class, () -> new IdxReader().readLabels(emptyContent, 10));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("the content is empty"), e.getMessage());
    }

    @Test
    void fewerTrainingLabelsThanImagesNamesBothFiles() throws IOException {
        write("train-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.images(2, 2, new byte[3 * 4])));
        Path labels = write("train-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.labels(1, 2)));
        write("t10k-images-idx3-ubyte", IdxBytes.images(2, 2, new byte[4]));
        write("t10k-labels-idx1-ubyte", IdxBytes.labels(0));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> MnistData.load(dir));
        assertEquals(labels, e.file());
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains("expected 3 labels, one per image of "
                + dir.resolve("train-images-idx3-ubyte.gz") + ", but found 2"), e.getMessage());
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
