package org.scratchdl.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The four files of an MNIST-format data set, under their standard names (Y. LeCun et al., "The MNIST
 * database of handwritten digits"; Fashion-MNIST uses the same names). Each may be stored gzip-compressed
 * with the suffix {@code .gz} or uncompressed without it.
 */
enum MnistFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", true, 60_000),
    TRAIN_LABELS("train-labels-idx1-ubyte", false, 60_000),
    TEST_IMAGES("t10k-images-idx3-ubyte", true, 10_000),
    TEST_LABELS("t10k-labels-idx1-ubyte", false, 10_000);

    /** Image side length, in pixels, of both MNIST and Fashion-MNIST. */
    static final int SIDE = 28;

    private final String baseName;
    private final boolean images;
    private final int records;

    MnistFile(String baseName, boolean images, int records) {
        this.baseName = baseName;
        this.images = images;
        this.records = records;
    }

    /** The uncompressed file name, e.g. {@code train-images-idx3-ubyte}. */
    String baseName() {
        return baseName;
    }

    /** The compressed file name, e.g. {@code train-images-idx3-ubyte.gz}. */
    String gzName() {
        return baseName + ".gz";
    }

    /** Both accepted names, for messages: {@code train-images-idx3-ubyte[.gz]}. */
    String displayName() {
        return baseName + "[.gz]";
    }

    /**
     * The length in bytes of the decompressed standard file: a 16-byte header and 28×28 bytes per image,
     * or an 8-byte header and one byte per label.
     */
    long standardLength() {
        return images ? 16L + (long) records * SIDE * SIDE : 8L + records;
    }

    /** The file in {@code dir}, preferring the gzip name when both exist; empty if neither exists. */
    Optional<Path> find(Path dir) {
        Path gz = dir.resolve(gzName());
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        Path raw = dir.resolve(baseName);
        return Files.isRegularFile(raw) ? Optional.of(raw) : Optional.empty();
    }

    /** True if {@code dir} holds at least one of the four files, compressed or not. */
    static boolean anyPresent(Path dir) {
        for (MnistFile f : values()) {
            if (f.find(dir).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** True if all four files are present in {@code dir}. */
    static boolean allPresent(Path dir) {
        for (MnistFile f : values()) {
            if (f.find(dir).isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
