package org.scratchdl.data;

import org.scratchdl.tensor.Tensor;

/**
 * Images and their labels.
 *
 * @param images NCHW {@code (N, C, H, W)}
 * @param labels N class indices in {@code [0, classes)}
 * @param classes number of classes
 */
public record Dataset(Tensor images, int[] labels, int classes) {
    /** Number of samples N. */
    public int size() {
        return labels.length;
    }
}
