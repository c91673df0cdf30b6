package org.scratchdl.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.scratchdl.io.CorruptFileException;
import org.scratchdl.tensor.Tensor;

/**
 * Loads an MNIST-format data set (MNIST, Fashion-MNIST or any other with the same four files) from one
 * folder holding {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each with or without the suffix
 * {@code .gz} (the gzip name is used when both exist). To find or download that folder, see
 * {@link DataLocator}.
 */
public final class MnistData {
    /** The number of classes of MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private MnistData() {
    }

    /**
     * Loads the training and the test set from {@code dir}, with images of shape {@code (N, 1, H, W)}
     * in [0, 1], H and W as the IDX headers give them (28 × 28 for MNIST and Fashion-MNIST), and
     * labels in [0, 10).
     *
     * @param dir the folder holding the four files
     * @return the 60,000 training and 10,000 test samples (for the standard files)
     * @throws NoSuchFileException if one of the four files is missing, naming it and the folder
     * @throws CorruptFileException if a file is not valid IDX (see {@link IdxReader}) or an images file
     *     and its labels file hold different numbers of samples (the message names both files)
     * @throws IllegalArgumentException if the training and the test images differ in size
     * @throws IOException if a file cannot be read
     */
    public static TrainTestSplit load(Path dir) throws IOException {
        return load(dir, new IdxReader());
    }

    /**
     * As {@link #load(Path)}, reading with the given reader (e.g. one with a lower memory limit).
     *
     * @param dir the folder holding the four files
     * @param reader the reader for each file
     * @return the training and the test samples
     * @throws NoSuchFileException if one of the four files is missing
     * @throws CorruptFileException if a file is invalid or the counts of images and labels differ
     * @throws IllegalArgumentException if the training and the test images differ in size
     * @throws IOException if a file cannot be read
     */
    public static TrainTestSplit load(Path dir, IdxReader reader) throws IOException {
        Dataset train = load(dir, reader, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS);
        Dataset test = load(dir, reader, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS);
        return new TrainTestSplit(train, test);
    }

    private static Dataset load(Path dir, IdxReader reader, MnistFile imagesFile, MnistFile labelsFile)
            throws IOException {
        Path imagesPath = require(dir, imagesFile);
        Path labelsPath = require(dir, labelsFile);
        Tensor images = reader.readImages(imagesPath);
        int[] labels = reader.readLabels(labelsPath, CLASSES);
        if (labels.length != images.dim(0)) {
            // Offset 4: the count field of the labels file's header.
            throw new CorruptFileException(labelsPath, 4, "expected " + images.dim(0) + " labels, one per "
                    + "image of " + imagesPath + ", but found " + labels.length);
        }
        return new Dataset(images, labels, CLASSES);
    }

    private static Path require(Path dir, MnistFile file) throws NoSuchFileException {
        return file.find(dir).orElseThrow(() -> new NoSuchFileException(dir.resolve(file.gzName()).toString(),
                null, "neither " + file.gzName() + " nor " + file.baseName() + " is in " + dir));
    }
}
