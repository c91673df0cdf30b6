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
     * Fewest elements for which {@link #forLength} gives the Vector API kernel: 2<sup>14</sup>.
     * A vector loop runs its loop body L times fewer times per call than the plain loop (L lanes,
     * 16 floats with AVX-512), so HotSpot compiles it that much later, and until then the Vector
     * API runs as boxed Java objects, hundreds of times slower. A ReLU over 10,000 elements
     * (SimpleConvNet's after its first Affine) took about 160 mini-batches to reach compiled vector
     * code and cost 0.2–0.9 ms a mini-batch on average before that; the plain loop is compiled
     * within about twenty and then costs about 3 µs more per forward and backward than the vector
     * loop.
     */
    int VECTOR_MIN_LENGTH = 1 << 14;

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

    /**
     * The kernel for a tensor of {@code length} elements: {@link #fastest()} from
     * {@link #VECTOR_MIN_LENGTH} elements on, {@link ScalarReluKernel} below (the same bits).
     *
     * @param length the number of elements the calls will cover
     * @return the kernel to use
     */
    static ReluKernel forLength(int length) {
        return length >= VECTOR_MIN_LENGTH ? fastest() : ScalarReluKernel.INSTANCE;
    }
}
