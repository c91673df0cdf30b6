package org.scratchdl.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training set and a test set of the same kind of images.
 *
 * @param train the training samples (60,000 for MNIST)
 * @param test the test samples (10,000 for MNIST)
 */
public record TrainTestSplit(Dataset train, Dataset test) {

    /**
     * @param train the training samples
     * @param test the test samples
     * @throws NullPointerException if either set is null
     * @throws IllegalArgumentException if the two sets differ in image shape or number of classes
     */
    public TrainTestSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (!Arrays.equals(train.imageShape(), test.imageShape()) || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train set " + train + " and test set " + test
                    + " differ in image shape or classes");
        }
    }
}
