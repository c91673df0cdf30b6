package org.scratchdl.tensor;

/**
 * The element loops of the rectified linear unit (Saito 2016, §5.5.1) over a range of a flat array.
 *
 * <p>Implementations give the same bits: forward is {@link Math#max(float, float)} with +0 (so NaN
 * stays NaN and −0 becomes +0); backward passes {@code dout} (whatever its sign) where the forward
 * output is not +0 and writes +0 elsewhere (the forward output is never −0, and where it is NaN the
 * gradient passes).
 */
public interface ReluKernel {

    /**
     * {@code out[i] = max(x[i], +0)} for {@code i = from .. to-1}.
     *
     * @throws IndexOutOfBoundsException if the range does not fit an array
     */
    void forward(float[] x, float[] out, int from, int to);

    /**
     * {@code dx[i] = dout[i]} where {@code out[i]} (the forward output) is not +0, else +0, for
     * {@code i = from .. to-1}.
     *
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    void backward(float[] out, float[] dout, float[] dx, int from, int to);

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarReluKernel}. Chosen once.
     */
    static ReluKernel fastest() {
        return FastestKernel.RELU;
    }
}
