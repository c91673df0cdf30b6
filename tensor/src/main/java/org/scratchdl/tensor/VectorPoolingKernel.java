package org.scratchdl.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PoolingKernel} on the JDK's incubating Vector API: half a vector of windows at a time.
 * With L lanes, one vector load from each of a window row pair covers L input columns, that is
 * L/2 windows; their results fill half a vector.
 *
 * <p>Forward: the lane-wise maximum of the two rows, then the maximum of its even and odd lanes
 * (two lane shuffles), and when rectifying the maximum with 0. This takes the four maxima in
 * another order than the scalar kernel, with the same result, since {@link Math#max(float, float)}
 * (which the vector maximum follows) is a total order on the non-NaN floats and NaN wins.
 *
 * <p>Backward: each window's maximum and gradient are spread over its two lanes of a vector; the
 * input rows are compared with the maximum bit for bit (or both NaN); the "first maximum in
 * row-major order" rule becomes lane masks (a window's right column is chosen only when its left is
 * not, the bottom row only when the top row is not), and the gradient is stored through them with
 * no scatter and nothing cleared first; when rectifying, the gradient of a window whose output is +0
 * is cleared to +0 first.
 *
 * <p>A row of windows is done in whole steps of L/2 windows, the last step moved left to end at
 * the row's end (recomputing some windows identically). Only vectors of the one preferred shape
 * are used: a second shape in the same program makes the JIT's type profiles of the Vector API
 * polymorphic, and then every kernel, the matrix multiply's included, falls back to boxed vectors
 * (ten times slower). So a step reads and writes whole vectors of output, of which only the first
 * L/2 lanes are meant: a forward step stores garbage into the L/2 outputs after its own, which the
 * next step (or row) overwrites. The last output row of a call, where that could spill past the
 * call's planes, and rows of fewer than L/2 windows go to {@link ScalarPoolingKernel}. This class
 * needs the module {@code jdk.incubator.vector}; use {@link PoolingKernel#fastest()}.
 */
public final class VectorPoolingKernel implements PoolingKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    private static final int L = S.length();
    /** Windows per step. */
    private static final int STEP = L / 2;

    /** Lane l takes lane 2l (the left column of window l), lane 2l+1 (right column), lane l/2. */
    private static final VectorShuffle<Float> LEFT = VectorShuffle.fromOp(S, l -> (2 * l) % L);
    private static final VectorShuffle<Float> RIGHT = VectorShuffle.fromOp(S, l -> (2 * l + 1) % L);
    private static final VectorShuffle<Float> SPREAD = VectorShuffle.fromOp(S, l -> l / 2);
    /** Swaps the two lanes of every window. */
    private static final VectorShuffle<Integer> PARTNER = VectorShuffle.fromOp(INTS, l -> l ^ 1);
    /** All ones in odd lanes (right columns), else 0; and the reverse. */
    private static final IntVector ODD = IntVector.zero(INTS).blend(-1, VectorMask.fromLong(INTS, 0xAAAAAAAAAAAAAAAAL));
    private static final IntVector EVEN = ODD.not();
    private static final IntVector NONE = IntVector.zero(INTS);
    private static final FloatVector ZERO = FloatVector.zero(S);

    /** A kernel; the class has no state. */
    public VectorPoolingKernel() {
    }

    @Override
    public void forward(float[] x, float[] out, int h, int w, int from, int to, boolean rectify) {
        int oh = h / 2;
        int ow = w / 2;
        for (int plane = from; plane < to; plane++) {
            for (int y = 0; y < oh; y++) {
                int top = plane * h * w + 2 * y * w;
                int o = (plane * oh + y) * ow;
                if (ow < STEP || (plane == to - 1 && y == oh - 1)) {
                    ScalarPoolingKernel.forwardRow(x, top, w, out, o, 0, ow, rectify);
                    continue;
                }
                for (int xo = 0; ; xo += STEP) {
                    int at = Math.min(xo, ow - STEP);
                    FloatVector m = FloatVector.fromArray(S, x, top + 2 * at)
                            .max(FloatVector.fromArray(S, x, top + w + 2 * at));
                    // lanes 0 .. L/2-1 are this step's windows; the rest is overwritten later
                    FloatVector max = m.rearrange(LEFT).max(m.rearrange(RIGHT));
                    (rectify ? max.max(ZERO) : max).intoArray(out, o + at);
                    if (at + STEP >= ow) {
                        break;
                    }
                }
            }
        }
    }

    @Override
    public void backward(float[] x, float[] out, float[] dout, float[] dx, int h, int w, int from, int to,
                         boolean rectify) {
        int oh = h / 2;
        int ow = w / 2;
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                int top = base + 2 * y * w;
                int o = (plane * oh + y) * ow;
                if (ow < STEP || (plane == to - 1 && y == oh - 1)) {
                    ScalarPoolingKernel.backwardRow(x, out, dout, dx, top, w, o, 0, ow, rectify);
                } else {
                    for (int xo = 0; ; xo += STEP) {
                        int at = Math.min(xo, ow - STEP);
                        backwardStep(x, out, dout, dx, top + 2 * at, w, o + at, rectify);
                        if (at + STEP >= ow) {
                            break;
                        }
                    }
                }
                if (2 * ow < w) {
                    dx[top + 2 * ow] = 0f;
                    dx[top + w + 2 * ow] = 0f;
                }
            }
            if (2 * oh < h) {
                Arrays.fill(dx, base + 2 * oh * w, base + h * w, 0f);
            }
        }
    }

    /**
     * {@link #STEP} windows whose top-left input element is at {@code a} and output at {@code o};
     * with {@code rectify}, a window whose output is +0 passes +0.
     */
    private static void backwardStep(float[] x, float[] out, float[] dout, float[] dx, int a, int w, int o,
                                     boolean rectify) {
        // lanes 0 .. L/2-1 of these loads are this step's windows; SPREAD reads no others
        FloatVector max = FloatVector.fromArray(S, out, o).rearrange(SPREAD);
        FloatVector g = ZERO.add(FloatVector.fromArray(S, dout, o).rearrange(SPREAD));
        IntVector m = max.reinterpretAsInts();
        if (rectify) {
            // the ReLU's backward: dout where the output's bits are not +0's (0 + +0 is +0 again)
            g = NONE.blend(g.reinterpretAsInts(), m.compare(VectorOperators.NE, 0)).reinterpretAsFloats();
        }
        FloatVector t = FloatVector.fromArray(S, x, a);
        FloatVector u = FloatVector.fromArray(S, x, a + w);
        VectorMask<Integer> topMatch = t.reinterpretAsInts().eq(m);
        VectorMask<Integer> bottomMatch = u.reinterpretAsInts().eq(m);
        VectorMask<Float> maxIsNaN = max.test(VectorOperators.IS_NAN);
        if (maxIsNaN.anyTrue()) {
            // a NaN maximum matches any NaN (its payload may differ from the input's)
            topMatch = topMatch.or(t.test(VectorOperators.IS_NAN).and(maxIsNaN).cast(INTS));
            bottomMatch = bottomMatch.or(u.test(VectorOperators.IS_NAN).and(maxIsNaN).cast(INTS));
        }
        IntVector top = NONE.blend(-1, topMatch);
        IntVector bottom = NONE.blend(-1, bottomMatch);
        IntVector topPartner = top.rearrange(PARTNER);
        IntVector inTop = top.or(topPartner);
        // top row: the left column when it matches; the right one when it matches and the left does not
        IntVector pickTop = top.and(topPartner.and(ODD).not());
        // bottom row, only when the top row has no match: the left column when it matches, else the right
        IntVector pickBottom = inTop.not().and(bottom.and(EVEN).or(bottom.rearrange(PARTNER).not().and(ODD)));
        IntVector gi = g.reinterpretAsInts();
        gi.and(pickTop).reinterpretAsFloats().intoArray(dx, a);
        gi.and(pickBottom).reinterpretAsFloats().intoArray(dx, a + w);
    }
}
