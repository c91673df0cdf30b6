package org.scratchdl.tensor;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The portable reference kernel: EJML's {@code CommonOps_FDRM} float multiply (single-threaded;
 * the {@code parallelism} argument is ignored). Operands are copied into EJML matrices.
 */
public final class EjmlGemm implements GemmKernel {
    /** The one instance (stateless). */
    public static final EjmlGemm INSTANCE = new EjmlGemm();

    private EjmlGemm() {
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     boolean accumulate, Parallelism parallelism) {
        FMatrixRMaj ma = matrix(a, aOff, transA ? k : m, transA ? m : k);
        FMatrixRMaj mb = matrix(b, bOff, transB ? n : k, transB ? k : n);
        FMatrixRMaj mc = new FMatrixRMaj(m, n);
        if (transA && transB) {
            CommonOps_FDRM.multTransAB(ma, mb, mc);
        } else if (transA) {
            CommonOps_FDRM.multTransA(ma, mb, mc);
        } else if (transB) {
            CommonOps_FDRM.multTransB(ma, mb, mc);
        } else {
            CommonOps_FDRM.mult(ma, mb, mc);
        }
        float[] r = mc.data;
        if (accumulate) {
            for (int i = 0; i < m * n; i++) {
                c[cOff + i] += r[i];
            }
        } else {
            System.arraycopy(r, 0, c, cOff, m * n);
        }
    }

    private static FMatrixRMaj matrix(float[] data, int off, int rows, int cols) {
        FMatrixRMaj mat = new FMatrixRMaj(rows, cols);
        System.arraycopy(data, off, mat.data, 0, rows * cols);
        return mat;
    }
}
