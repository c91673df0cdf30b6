package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.tensor.Tensor;

/** {@link MnistData#load} on small synthetic files, and the {@link Dataset} record. */
class MnistDataTest {
    @TempDir
    Path dir;

    /** Writes a tiny data set: 3 training and 2 test images of 2×2 pixels. */
    private void writeTiny(boolean gzip) throws IOException {
        write("train-images-idx3-ubyte", IdxBytes.images(2, 2, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), gzip);
        write("train-labels-idx1-ubyte", IdxBytes.labels(7, 0, 9), !gzip);
        write("t10k-images-idx3-ubyte", IdxBytes.images(2, 2, new byte[] {0, 0, 0, (byte) 255, 1, 1, 1, 1}), gzip);
        write("t10k-labels-idx1-ubyte", IdxBytes.labels(3, 3), gzip);
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        return Files.write(dir.resolve(gzip ? name + ".gz" : name), gzip ? IdxBytes.gzip(content) : content);
    }

    @Test
    void loadsTheFourFilesWithAndWithoutGz() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path sub = Files.createDirectory(dir.resolve("gz-" + gzip));
            dir = sub;
            writeTiny(gzip);
            TrainTestSplit split = MnistData.load(sub);
            assertArrayEquals(new int[] {3, 1, 2, 2}, split.train().images().shape());
            assertArrayEquals(new int[] {7, 0, 9}, split.train().labels());
            assertArrayEquals(new int[] {2, 1, 2, 2}, split.test().images().shape());
            assertEquals(1f, split.test().images().get(0, 0, 1, 1));
            assertEquals(10, split.test().classes());
            dir = sub.getParent();
        }
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        writeTiny(false);
        Path labels = write("t10k-labels-idx1-ubyte", IdxBytes.labels(3, 3, 3), false);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> MnistData.load(dir));
        assertEquals(labels, e.file());
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("t10k-images-idx3-ubyte").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2 labels") && e.getMessage().contains("found 3"), e.getMessage());
    }

    @Test
    void labelAboveNineIsCorrupt() throws IOException {
        writeTiny(false);
        Path labels = write("train-labels-idx1-ubyte", IdxBytes.labels(7, 10, 9), true);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> MnistData.load(dir));
        assertEquals(labels, e.file());
        assertEquals(9, e.offset());
    }

    @Test
    void missingFileNamesItAndTheFolder() throws IOException {
        writeTiny(true);
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnistData.load(dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz") && e.getMessage().contains(dir.toString()),
                e.getMessage());
    }

    @Test
    void datasetValidatesAndSlices() {
        Tensor images = Tensor.arange(4, 1, 2, 2);
        Dataset d = new Dataset(images, new int[] {1, 0, 1, 2}, 3);
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {1, 2, 2}, d.imageShape());
        assertArrayEquals(new int[] {1, 2, 1}, d.classCounts());
        assertEquals(2, d.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> d.label(4));
        Dataset s = d.slice(1, 3);
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertArrayEquals(new int[] {2, 1, 2, 2}, s.images().shape());
        assertEquals(4f, s.images().get(0, 0, 0, 0));
        assertEquals("Dataset[2 images (2, 1, 2, 2), 3 classes]", s.toString());
        assertThrows(IllegalArgumentException.class, () -> d.slice(3, 5));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(images, new int[] {0, 0, 0}, 3));
        assertTrue(e.getMessage().contains("4 images") && e.getMessage().contains("3 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(images, new int[] {0, 3, 0, 0}, 3));
        assertTrue(e.getMessage().contains("label 1 is 3, outside [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset(images, new int[] {0, -1, 0, 0}, 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(images.reshape(4, 4), new int[4], 3));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(images, new int[4], 0));
        assertThrows(NullPointerException.class, () -> new Dataset(null, new int[4], 3));
    }

    @Test
    void splitRequiresMatchingSets() {
        Dataset a = new Dataset(Tensor.zeros(2, 1, 2, 2), new int[2], 10);
        Dataset b = new Dataset(Tensor.zeros(2, 1, 3, 3), new int[2], 10);
        assertThrows(IllegalArgumentException.class, () -> new TrainTestSplit(a, b));
        assertEquals(a, new TrainTestSplit(a, a).test());
    }
}
