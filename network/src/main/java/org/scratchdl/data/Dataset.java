package org.scratchdl.data;

import java.util.Arrays;
import java.util.Objects;
import org.scratchdl.tensor.Tensor;

/**
 * A labelled image data set held in memory: images of shape {@code (N, C, H, W)} (NCHW; MNIST has
 * {@code C = 1}, {@code H = W = 28}, pixel values in [0, 1]) and one integer label in
 * {@code [0, classes)} per image.
 *
 * <p>Neither the tensor nor the label array is copied (as {@link Tensor#of} does not copy): callers
 * must not modify them afterwards. Equality is that of records, i.e. the same tensor and array
 * objects, not equal contents.
 *
 * @param images the images, shape {@code (N, C, H, W)}
 * @param labels the class of each image, length N, each in {@code [0, classes)}
 * @param classes the number of classes K (10 for MNIST and Fashion-MNIST)
 */
public record Dataset(Tensor images, int[] labels, int classes) {

    /**
     * Checks the parts against each other.
     *
     * @param images the images, shape {@code (N, C, H, W)} (not copied)
     * @param labels the class of each image, length N (not copied)
     * @param classes the number of classes K
     * @throws NullPointerException if {@code images} or {@code labels} is null
     * @throws IllegalArgumentException if the images are not 4-D, the label count differs from the
     *     image count, {@code classes < 1} or a label lies outside {@code [0, classes)}
     */
    public Dataset {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.rank() != 4) {
            throw new IllegalArgumentException("images must have shape (N, C, H, W) but have shape "
                    + images.shapeString());
        }
        if (labels.length != images.dim(0)) {
            throw new IllegalArgumentException(images.dim(0) + " images (shape " + images.shapeString()
                    + ") but " + labels.length + " labels");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", outside [0, "
                        + classes + ")");
            }
        }
    }

    /**
     * The number of samples N.
     *
     * @return N, the length of {@code labels}
     */
    public int size() {
        return labels.length;
    }

    /**
     * The shape of one image, {@code (C, H, W)}, e.g. {@code [1, 28, 28]}.
     *
     * @return a new array {@code [C, H, W]}
     */
    public int[] imageShape() {
        int[] s = images.shape();
        return new int[] {s[1], s[2], s[3]};
    }

    /**
     * The label of sample {@code i}.
     *
     * @param i the sample index
     * @return its label, in {@code [0, classes)}
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, N)}
     */
    public int label(int i) {
        Objects.checkIndex(i, labels.length);
        return labels[i];
    }

    /**
     * How many samples each class has: an array of length {@code classes}.
     *
     * @return a new array whose element k is the number of samples with label k
     */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Copies a mini-batch into reused buffers: sample {@code order[from + i]} becomes row {@code i}
     * of {@code x} and {@code labels[i]}, for {@code i < labels.length}.
     *
     * @param order a permutation of the sample indices (one epoch's shuffle); not modified
     * @param from the position in {@code order} of the batch's first sample
     * @param x the batch {@code (B, C, H, W)} with B = {@code labels.length}, overwritten; only its data
     *     array is used, and the shape is not checked
     * @param labels B labels, overwritten
     * @throws ArrayIndexOutOfBoundsException if {@code order} has no entry {@code from + i} for some
     *     {@code i < B}, such an entry is not in {@code [0, N)}, or {@code x} holds fewer than B images
     *     (nothing is checked beforehand: the rows before the failing one are already copied)
     */
    public void gather(int[] order, int from, Tensor x, int[] labels) {
        int sampleSize = images.size() / Math.max(1, size());
        float[] src = images.data();
        float[] dst = x.data();
        for (int i = 0; i < labels.length; i++) {
            int s = order[from + i];
            System.arraycopy(src, s * sampleSize, dst, i * sampleSize, sampleSize);
            labels[i] = this.labels[s];
        }
    }

    /**
     * Samples {@code [from, to)} as a new data set, with copies of their images and labels (e.g. to train
     * on the first 1000 samples only).
     *
     * @param from the first sample, inclusive
     * @param to the end, exclusive
     * @return a new data set of {@code to - from} samples with the same number of classes
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= N}
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || from > to || to > size()) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for " + size()
                    + " samples");
        }
        return new Dataset(images.slice(from, to, null), Arrays.copyOfRange(labels, from, to), classes);
    }

    /** A short description, e.g. {@code Dataset[60000 images (60000, 1, 28, 28), 10 classes]}. */
    @Override
    public String toString() {
        return "Dataset[" + size() + " images " + images.shapeString() + ", " + classes + " classes]";
    }
}
