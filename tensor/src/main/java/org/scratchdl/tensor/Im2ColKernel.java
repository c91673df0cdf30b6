package org.scratchdl.tensor;

/**
 * The element loop of {@link Im2Col#im2colSample}: one sample {@code (C, H, W)} unfolded into its
 * {@code (OH·OW, C·kh·kw)} rows (Saito 2016, §7.4.3). Implementations write exactly the same
 * values, and nothing outside the sample's rows.
 */
public interface Im2ColKernel {

    /**
     * As {@link Im2Col#im2colSample}, whose arguments it takes.
     *
     * @throws IndexOutOfBoundsException if the sample or its rows do not fit their arrays
     */
    void im2colSample(float[] x, int xOff, int c, int h, int w, ConvGeometry g, float padValue,
                      float[] col, int colOff);

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarIm2ColKernel}. Chosen once.
     */
    static Im2ColKernel fastest() {
        return FastestKernel.IM2COL;
    }
}
