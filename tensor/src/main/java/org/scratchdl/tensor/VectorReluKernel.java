package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReluKernel} on the JDK's incubating Vector API: a vector of elements per step (the
 * vector maximum follows {@link Math#max(float, float)}; backward compares the output's bits with
 * 0 and blends), the last partial vector in scalar code. This class needs the module
 * {@code jdk.incubator.vector}; use {@link ReluKernel#fastest()}.
 */
public final class VectorReluKernel implements ReluKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = S.withLanes(int.class);
    private static final int L = S.length();
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final IntVector NONE = IntVector.zero(INTS);

    /** A kernel; the class has no state. */
    public VectorReluKernel() {
    }

    @Override
    public void forward(float[] x, float[] out, int from, int to) {
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            FloatVector.fromArray(S, x, i).max(ZERO).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void backward(float[] out, float[] dout, float[] dx, int from, int to) {
        int i = from;
        for (int end = to - L; i <= end; i += L) {
            IntVector bits = FloatVector.fromArray(S, out, i).reinterpretAsInts();
            IntVector g = FloatVector.fromArray(S, dout, i).reinterpretAsInts();
            NONE.blend(g, bits.compare(VectorOperators.NE, 0)).reinterpretAsFloats().intoArray(dx, i);
        }
        for (; i < to; i++) {
            dx[i] = ScalarReluKernel.keepWhereNonZero(out[i], dout[i]);
        }
    }
}
