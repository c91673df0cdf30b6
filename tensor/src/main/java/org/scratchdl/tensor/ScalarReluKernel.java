package org.scratchdl.tensor;

/** {@link ReluKernel} in plain Java, without data-dependent branches (one would cost 40×). */
public final class ScalarReluKernel implements ReluKernel {
    /** The one instance (the class has no state). */
    public static final ScalarReluKernel INSTANCE = new ScalarReluKernel();

    private ScalarReluKernel() {
    }

    @Override
    public void forward(float[] x, float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void backward(float[] out, float[] dout, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = keepWhereNonZero(out[i], dout[i]);
        }
    }

    /**
     * {@code g} where {@code mask}'s bits are not those of +0, else +0: ReLU's backward for one
     * element, given its output {@code mask} and {@code g = dL/dout}. Branch-free:
     * {@code (bits | -bits) >> 31} is all ones exactly when the bits are not 0.
     *
     * @param mask the ReLU's output
     * @param g the gradient with respect to it
     * @return the gradient with respect to the ReLU's input
     */
    public static float keepWhereNonZero(float mask, float g) {
        int bits = Float.floatToRawIntBits(mask);
        int keep = (bits | -bits) >> 31;
        return Float.intBitsToFloat(Float.floatToRawIntBits(g) & keep);
    }
}
