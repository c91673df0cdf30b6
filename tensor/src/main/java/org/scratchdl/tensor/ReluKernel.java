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
     * Fewest elements for which {@link #forLength} gives {@link #fastest()} (the Vector API kernel
     * when its module is present) rather than the plain loop: 2<sup>17</sup> = 131,072.
     *
     * <p>Why: a vector loop goes round L times fewer per call than the plain loop (L lanes, 16
     * floats with AVX-512), so HotSpot's C2 compiler takes it up that much later, and until then
     * each vector operation runs as boxed Java objects: up to about 10 ms for a forward and
     * backward over 10,000 elements on one thread in a loop of such calls, against 4.4 µs for the
     * compiled plain loop and 1.4 µs for the compiled vector loop (JDK 17, AVX-512). The plain loop
     * is compiled after a few calls. Without this threshold, SimpleConvNet's second ReLU (100 × 100
     * elements per training mini-batch) ran boxed for about its first 160 mini-batches, 0.2–0.9 ms
     * a mini-batch on average over mini-batches 20–220. The value keeps that ReLU on the plain loop
     * at inference with batches of 1000 too (100,000 elements): with a threshold of 2<sup>14</sup>,
     * the vector loop was compiled there only during the first inference passes. At 2<sup>17</sup>
     * elements the compiled vector loop saves about 40 µs a call.
     */
    int VECTOR_MIN_LENGTH = 1 << 17;

    /**
     * {@code out[i] = max(x[i], +0)} for {@code i = from .. to-1}.
     *
     * @param x the input, not modified
     * @param out the output, written at {@code from .. to-1}
     * @param from first element (inclusive)
     * @param to last element (exclusive)
     * @throws IndexOutOfBoundsException if the range does not fit an array
     */
    void forward(float[] x, float[] out, int from, int to);

    /**
     * {@code dx[i] = dout[i]} where {@code out[i]} (the forward output) is not +0, else +0, for
     * {@code i = from .. to-1}.
     *
     * @param out the forward output, not modified
     * @param dout the gradient with respect to {@code out}, not modified
     * @param dx the gradient with respect to the input, written at {@code from .. to-1}
     * @param from first element (inclusive)
     * @param to last element (exclusive)
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    void backward(float[] out, float[] dout, float[] dx, int from, int to);

    /**
     * The fastest kernel in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarReluKernel}. Chosen once.
     *
     * @return the chosen kernel, the same instance on every call
     */
    static ReluKernel fastest() {
        return FastestKernel.RELU;
    }

    /**
     * The kernel for a tensor of {@code length} elements: {@link #fastest()} from
     * {@link #VECTOR_MIN_LENGTH} elements on, {@link ScalarReluKernel} below (including 0 and
     * negative lengths). Both give the same bits, so the choice only affects speed.
     *
     * @param length the number of elements the calls will cover
     * @return the kernel to use
     */
    static ReluKernel forLength(int length) {
        return length >= VECTOR_MIN_LENGTH ? fastest() : ScalarReluKernel.INSTANCE;
    }
}
