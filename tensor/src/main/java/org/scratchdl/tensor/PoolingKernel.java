package org.scratchdl.tensor;

/**
 * The inner loops of max pooling with a 2×2 window, stride 2 and no padding (Saito 2016, §7.4.4),
 * the case where the windows tile the input: each input element lies in at most one window.
 *
 * <p>Shapes: planes of {@code (h, w)} input, stored one after another (plane {@code q} starts at
 * {@code q·h·w}); their outputs {@code (h/2, w/2)} (rounded down) likewise from {@code q·(h/2)·(w/2)}.
 * A last odd row or column lies in no window.
 *
 * <p>Implementations give the same bits, except for which NaN a window holding NaN yields: the
 * forward maximum is {@link Math#max(float, float)}'s (NaN wins, −0 &lt; +0), and backward routes
 * each output gradient to the first element of its window, in row-major order, that equals the
 * maximum bit for bit, or that is NaN when the maximum is NaN (the last element when none does).
 */
public interface PoolingKernel {

    /**
     * {@code out[q, y, x] = max of x[q, 2y..2y+1, 2x..2x+1]} for planes {@code from .. to-1}; with
     * {@code rectify}, {@code max(0, that)} ({@link Math#max(float, float)}: the ReLU of the maximum,
     * which equals the maximum of the ReLUs, Saito 2016, §5.5.1 and §7.4.4).
     *
     * @param x the input planes {@code (h, w)}, not modified
     * @param out the output planes {@code (h/2, w/2)}, written for planes {@code from .. to-1}
     * @param h input height
     * @param w input width
     * @param from first plane (inclusive)
     * @param to last plane (exclusive)
     * @param rectify whether to apply the ReLU to each maximum
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    void forward(float[] x, float[] out, int h, int w, int from, int to, boolean rectify);

    /**
     * {@code dx = 0 + dout} at each window's first maximum and {@code +0} at every other element
     * (including rows and columns in no window), for planes {@code from .. to-1}; every element of
     * those planes of {@code dx} is written. {@code out} is the forward's result for {@code x}, with
     * the same {@code rectify}. ({@code 0 + dout}: the bits of adding into a cleared gradient, so
     * {@code −0} becomes {@code +0}.) With {@code rectify}, a window whose {@code out} is {@code +0}
     * passes {@code +0} instead of {@code dout}: the ReLU's backward (which passes {@code dout} where
     * its output's bits are not zero), then the pooling's.
     *
     * @param x the forward input planes {@code (h, w)}, not modified
     * @param out the forward output planes {@code (h/2, w/2)}, not modified
     * @param dout the gradient with respect to {@code out}, same layout, not modified
     * @param dx the gradient with respect to {@code x}, same layout, written for planes {@code from .. to-1}
     * @param h input height
     * @param w input width
     * @param from first plane (inclusive)
     * @param to last plane (exclusive)
     * @param rectify whether the forward applied the ReLU, as passed to {@link #forward}
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    void backward(float[] x, float[] out, float[] dout, float[] dx, int h, int w, int from, int to, boolean rectify);

    /**
     * The fastest kernel available in this JVM: a Vector API one when the module
     * {@code jdk.incubator.vector} is present, else {@link ScalarPoolingKernel}. Chosen once.
     *
     * @return the chosen kernel, the same instance on every call
     */
    static PoolingKernel fastest() {
        return FastestKernel.POOLING;
    }
}
