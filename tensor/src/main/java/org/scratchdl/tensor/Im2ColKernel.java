package org.scratchdl.tensor;

/**
 * The element loop of {@link Im2Col#im2colSample}: one sample {@code (C, H, W)} unfolded into its
 * {@code (OH·OW, C·kh·kw)} rows (Saito 2016, §7.4.3), consecutive rows {@code rowStride} floats
 * apart. Implementations write exactly the same values into the rows, and nothing before the first
 * row or after the last; the {@code rowStride − C·kh·kw} floats between two rows may be
 * overwritten with anything.
 */
public interface Im2ColKernel {

    /**
     * As {@link Im2Col#im2colSample}, whose arguments it takes.
     *
     * @param x the input, not modified
     * @param xOff index in {@code x} of the sample {@code (C, H, W)}, row-major
     * @param c channels C
     * @param h input height H
     * @param w input width W
     * @param g kernel size, stride and pad
     * @param padValue the value read for positions in the padding (0 for convolution)
     * @param col the output, written with the {@code OH·OW} rows (and possibly the gaps between them)
     * @param colOff index in {@code col} of the first row
     * @param rowStride floats from the start of one row to the next, at least {@code C·kh·kw}
     * @throws IllegalArgumentException if {@code h} or {@code w} gives no output with {@code g}
     *     ({@link ConvGeometry#outH}, {@link ConvGeometry#outW})
     * @throws IndexOutOfBoundsException if the sample or its rows do not fit their arrays
     */
    void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                      float[] col, int colOff, int rowStride);

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarIm2ColKernel}. Chosen once.
     *
     * @return the chosen kernel, the same instance on every call
     */
    static Im2ColKernel fastest() {
        return FastestKernel.IM2COL;
    }
}
