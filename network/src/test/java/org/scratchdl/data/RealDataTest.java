package org.scratchdl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchdl.tensor.Tensor;

/**
 * The real MNIST files from {@code $SCRATCHDL_DATA} or the user cache (skipped when neither has them), and the Fashion-MNIST files of
 * Debian's dataset-fashion-mnist package (skipped when not installed).
 */
class RealDataTest {
    private static final Path FASHION = DataLocator.DEBIAN_DATASETS.resolve("fashion-mnist");

    private static Path mnistDir;
    private static TrainTestSplit mnist;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() throws IOException {
        mnistDir = DataLocator.fromEnvironment().find(MnistDataset.MNIST, null).orElse(null);
        if (mnistDir != null) {
            mnist = MnistData.load(mnistDir);
        }
    }

    private static void assumeMnist() {
        assumeTrue(mnist != null, "no MNIST files in $" + DataLocator.DATA_ENV + " or ~/.cache/scratchdl/mnist");
    }

    @Test
    void mnistShapesAndFirstLabels() {
        assumeMnist();
        assertArrayEquals(new int[] {60000, 1, 28, 28}, mnist.train().images().shape());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, mnist.test().images().shape());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(mnist.train().labels(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(mnist.test().labels(), 10));
    }

    @Test
    void mnistLabelCountsPerClass() {
        assumeMnist();
        // MNIST's published per-digit counts of its 60,000 training images.
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                mnist.train().classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                mnist.test().classCounts());
    }

    @Test
    void mnistPixelsAreUnsignedBytesOver255() {
        assumeMnist();
        float[] train = mnist.train().images().data();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : train) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += Math.round(v * 255f);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Sum of all training pixel bytes (computed independently from the decompressed file).
        assertEquals(1567298545.0, sum);
        Tensor first = mnist.train().images();
        assertEquals(240 / 255f, first.get(0, 0, 14, 14));
        double firstSum = 0;
        for (int i = 0; i < 784; i++) {
            firstSum += Math.round(train[i] * 255f);
        }
        assertEquals(27525.0, firstSum);
    }

    @Test
    void mnistChecksumsMatchTheFiles() throws IOException {
        assumeMnist();
        for (MnistFile f : MnistFile.values()) {
            assertNull(ContentDigest.verify(f.find(mnistDir).orElseThrow(), f.standardLength(),
                    MnistDataset.MNIST.md5(f)), f.baseName());
        }
    }

    @Test
    void dataEnvironmentFolderIsRecognisedAsMnistOnly() throws IOException {
        assumeMnist();
        DataLocator locator = new DataLocator(Map.of(DataLocator.DATA_ENV, mnistDir.toString()), temp,
                Files.createDirectories(temp.resolve("system")));
        assertEquals(Optional.of(mnistDir), locator.find(MnistDataset.MNIST, null));
        // The same folder does not pass for Fashion-MNIST: its training labels differ.
        assertEquals(Optional.empty(), locator.find(MnistDataset.FASHION_MNIST, null));
    }

    @Test
    void fashionMnistFromDebian() throws IOException {
        assumeTrue(MnistFile.allPresent(FASHION), "Debian's dataset-fashion-mnist is not installed in " + FASHION);
        for (MnistFile f : MnistFile.values()) {
            assertNull(ContentDigest.verify(f.find(FASHION).orElseThrow(), f.standardLength(),
                    MnistDataset.FASHION_MNIST.md5(f)), f.baseName());
        }
        TrainTestSplit fashion = MnistData.load(FASHION);
        int[] train = new int[10];
        int[] test = new int[10];
        Arrays.fill(train, 6000);
        Arrays.fill(test, 1000);
        assertArrayEquals(train, fashion.train().classCounts());
        assertArrayEquals(test, fashion.test().classCounts());
        assertArrayEquals(new int[] {1, 28, 28}, fashion.test().imageShape());
        DataLocator locator = new DataLocator(Map.of(), temp, DataLocator.DEBIAN_DATASETS);
        assertEquals(Optional.of(FASHION), locator.find(MnistDataset.FASHION_MNIST, null));
        assertTrue(locator.find(MnistDataset.MNIST, null).isEmpty());
    }
}
