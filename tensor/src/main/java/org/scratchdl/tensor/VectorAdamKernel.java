package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AdamKernel} on the JDK's incubating Vector API: a vector of elements per step, the same
 * operations in the same order as {@link ScalarAdamKernel} (no fused multiply-add, which would
 * round differently), the last partial vector in scalar code. This class needs the module
 * {@code jdk.incubator.vector}; use {@link AdamKernel#fastest()}.
 */
public final class VectorAdamKernel implements AdamKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** A kernel; the class has no state. */
    public VectorAdamKernel() {
    }

    @Override
    public void update(float[] w, float[] g, float[] m, float[] v, int from, int to, float oneMinusBeta1,
                       float oneMinusBeta2, float lrT, float eps) {
        int j = from;
        for (int end = to - L; j <= end; j += L) {
            FloatVector gj = FloatVector.fromArray(S, g, j);
            FloatVector mj = FloatVector.fromArray(S, m, j);
            FloatVector vj = FloatVector.fromArray(S, v, j);
            mj = mj.add(gj.sub(mj).mul(oneMinusBeta1));
            vj = vj.add(gj.mul(gj).sub(vj).mul(oneMinusBeta2));
            FloatVector step = mj.mul(lrT).div(vj.sqrt().add(eps));
            FloatVector.fromArray(S, w, j).sub(step).intoArray(w, j);
            mj.intoArray(m, j);
            vj.intoArray(v, j);
        }
        ScalarAdamKernel.INSTANCE.update(w, g, m, v, j, to, oneMinusBeta1, oneMinusBeta2, lrT, eps);
    }
}
