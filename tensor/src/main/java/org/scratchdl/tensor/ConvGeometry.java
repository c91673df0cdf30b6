package org.scratchdl.tensor;

/**
 * The geometry of a sliding window over an NCHW image: kernel height and width, one stride for
 * both axes and one zero-padding for all four borders. The single place where output sizes are
 * computed, for convolution, pooling, {@link Im2Col#im2col} and {@link Im2Col#col2im}.
 *
 * <p>Output size (Saito 2016, eq. 7.1; as PyTorch): {@code OH = floor((H + 2·pad − kernelH) /
 * stride) + 1}, likewise {@code OW}. Rows or columns left over when the stride does not divide
 * evenly are not covered.
 *
 * @param kernelH window height, at least 1
 * @param kernelW window width, at least 1
 * @param stride step between windows, at least 1
 * @param pad zero rows/columns added on each border, at least 0
 */
public record ConvGeometry(int kernelH, int kernelW, int stride, int pad) {

    /**
     * Checks the components.
     *
     * @param kernelH window height, at least 1
     * @param kernelW window width, at least 1
     * @param stride step between windows, at least 1
     * @param pad zero rows/columns added on each border, at least 0
     * @throws IllegalArgumentException if a kernel size or the stride is below 1, or pad below 0
     */
    public ConvGeometry {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("kernel must be at least 1×1, got " + kernelH + "×" + kernelW);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride);
        }
        if (pad < 0) {
            throw new IllegalArgumentException("pad must be at least 0, got " + pad);
        }
    }

    /**
     * A square kernel.
     *
     * @param kernel window height and width, at least 1
     * @param stride step between windows, at least 1
     * @param pad zero rows/columns added on each border, at least 0
     * @return the geometry {@code (kernel, kernel, stride, pad)}
     * @throws IllegalArgumentException if {@code kernel} or {@code stride} is below 1, or {@code pad} below 0
     */
    public static ConvGeometry square(int kernel, int stride, int pad) {
        return new ConvGeometry(kernel, kernel, stride, pad);
    }

    /**
     * Output height for input height {@code h}.
     *
     * @param h input height H, in pixels
     * @return {@code OH = floor((h + 2·pad − kernelH) / stride) + 1}, at least 1
     * @throws IllegalArgumentException if {@code h} is below 1, the padded input is smaller than the kernel
     *     (no output) or the output height does not fit an {@code int}
     */
    public int outH(int h) {
        return outSize(h, kernelH, "height");
    }

    /**
     * Output width for input width {@code w}.
     *
     * @param w input width W, in pixels
     * @return {@code OW = floor((w + 2·pad − kernelW) / stride) + 1}, at least 1
     * @throws IllegalArgumentException if {@code w} is below 1, the padded input is smaller than the kernel
     *     (no output) or the output width does not fit an {@code int}
     */
    public int outW(int w) {
        return outSize(w, kernelW, "width");
    }

    private int outSize(int in, int kernel, String axis) {
        if (in < 1) {
            throw new IllegalArgumentException("input " + axis + " must be at least 1, got " + in);
        }
        long padded = (long) in + 2L * pad; // in long: a huge pad must not wrap around
        if (padded < kernel) {
            throw new IllegalArgumentException("kernel " + axis + " " + kernel + " is larger than the padded input "
                    + axis + " " + in + " + 2·" + pad + " = " + padded);
        }
        long out = (padded - kernel) / stride + 1;
        if (out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("output " + axis + " " + out + " (input " + in + ", pad " + pad
                    + ") is too large");
        }
        return (int) out;
    }

    /**
     * The output shape {@code (N, channels, OH, OW)} for an NCHW input shape.
     *
     * @param inputShape the input shape {@code (N, C, H, W)}; not modified (C is not used)
     * @param channels output channel count, not checked (the filter count for convolution, C for pooling)
     * @return a new array {@code (N, channels, OH, OW)}
     * @throws IllegalArgumentException if {@code inputShape} is not 4-D or yields no output (H or W below 1,
     *     or padded input smaller than the kernel), or OH or OW does not fit an {@code int}
     */
    public int[] outputShape(int[] inputShape, int channels) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException("expected an NCHW shape (N, C, H, W) but got "
                    + Shapes.format(inputShape));
        }
        return new int[] {inputShape[0], channels, outH(inputShape[2]), outW(inputShape[3])};
    }

    @Override
    public String toString() {
        return "kernel " + kernelH + "×" + kernelW + ", stride " + stride + ", pad " + pad;
    }
}
