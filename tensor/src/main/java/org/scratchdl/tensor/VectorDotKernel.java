package org.scratchdl.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DotKernel} on the JDK's incubating Vector API. Lane l of a partial sum takes the products
 * at depths {@code p ≡ l (mod L)}: whole vectors of a row of A and a row of B are multiplied and
 * added lane by lane, and nothing is reduced across lanes here ({@link DotKernel#finish} does that
 * once, in lane order, so the result does not depend on how the JIT would order a reduction).
 *
 * <p>Register blocking: {@value #ROWS} rows of A by {@value #COLUMNS} rows of B, fifteen vector
 * accumulators (loaded from and stored back to the partial sums), {@value #ROWS} + {@value #COLUMNS}
 * vector loads per fifteen fused multiply-adds. At the lower and right edges a block repeats its
 * last real row (the repeats are computed but not stored). Depths past the last whole vector are
 * added to lanes 0, 1, … by scalar fused multiply-adds. This class needs the module
 * {@code jdk.incubator.vector}; use {@link DotKernel#fastest()}.
 */
public final class VectorDotKernel implements DotKernel {
    /** Rows of A per block. */
    static final int ROWS = 3;
    /** Rows of B per block. */
    static final int COLUMNS = 5;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** A kernel; the class has no state. */
    public VectorDotKernel() {
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void accumulate(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] partials) {
        int whole = k - k % L;
        for (int i = 0; i < m; i += ROWS) {
            for (int j = 0; j < n; j += COLUMNS) {
                block(Math.min(ROWS, m - i), Math.min(COLUMNS, n - j), i, j, n, k, whole, a, aOff, b, bOff, partials);
            }
        }
        if (whole < k) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = (i * n + j) * L;
                    for (int p = whole, ai = aOff + i * k, bj = bOff + j * k; p < k; p++) {
                        partials[at + p - whole] = Math.fma(a[ai + p], b[bj + p], partials[at + p - whole]);
                    }
                }
            }
        }
    }

    @Override
    public void accumulateSums(int m, int k, float[] a, int aOff, float[] partials) {
        int whole = k - k % L;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * k;
            FloatVector sum = FloatVector.fromArray(S, partials, i * L);
            for (int p = 0; p < whole; p += L) {
                sum = sum.add(FloatVector.fromArray(S, a, ai + p));
            }
            sum.intoArray(partials, i * L);
            for (int p = whole; p < k; p++) {
                partials[i * L + p - whole] += a[ai + p];
            }
        }
    }

    /**
     * Rows {@code i .. i+rows-1} of A against rows {@code j .. j+cols-1} of B over depths
     * {@code 0 .. whole-1} (a multiple of L).
     */
    private static void block(int rows, int cols, int i, int j, int n, int k, int whole, float[] a, int aOff,
                              float[] b, int bOff, float[] partials) {
        int a0 = aOff + (i + Math.min(0, rows - 1)) * k;
        int a1 = aOff + (i + Math.min(1, rows - 1)) * k;
        int a2 = aOff + (i + Math.min(2, rows - 1)) * k;
        int b0 = bOff + (j + Math.min(0, cols - 1)) * k;
        int b1 = bOff + (j + Math.min(1, cols - 1)) * k;
        int b2 = bOff + (j + Math.min(2, cols - 1)) * k;
        int b3 = bOff + (j + Math.min(3, cols - 1)) * k;
        int b4 = bOff + (j + Math.min(4, cols - 1)) * k;
        int p00 = ((i + Math.min(0, rows - 1)) * n + j + Math.min(0, cols - 1)) * L;
        int p01 = ((i + Math.min(0, rows - 1)) * n + j + Math.min(1, cols - 1)) * L;
        int p02 = ((i + Math.min(0, rows - 1)) * n + j + Math.min(2, cols - 1)) * L;
        int p03 = ((i + Math.min(0, rows - 1)) * n + j + Math.min(3, cols - 1)) * L;
        int p04 = ((i + Math.min(0, rows - 1)) * n + j + Math.min(4, cols - 1)) * L;
        int p10 = ((i + Math.min(1, rows - 1)) * n + j + Math.min(0, cols - 1)) * L;
        int p11 = ((i + Math.min(1, rows - 1)) * n + j + Math.min(1, cols - 1)) * L;
        int p12 = ((i + Math.min(1, rows - 1)) * n + j + Math.min(2, cols - 1)) * L;
        int p13 = ((i + Math.min(1, rows - 1)) * n + j + Math.min(3, cols - 1)) * L;
        int p14 = ((i + Math.min(1, rows - 1)) * n + j + Math.min(4, cols - 1)) * L;
        int p20 = ((i + Math.min(2, rows - 1)) * n + j + Math.min(0, cols - 1)) * L;
        int p21 = ((i + Math.min(2, rows - 1)) * n + j + Math.min(1, cols - 1)) * L;
        int p22 = ((i + Math.min(2, rows - 1)) * n + j + Math.min(2, cols - 1)) * L;
        int p23 = ((i + Math.min(2, rows - 1)) * n + j + Math.min(3, cols - 1)) * L;
        int p24 = ((i + Math.min(2, rows - 1)) * n + j + Math.min(4, cols - 1)) * L;
        FloatVector s00 = FloatVector.fromArray(S, partials, p00);
        FloatVector s01 = FloatVector.fromArray(S, partials, p01);
        FloatVector s02 = FloatVector.fromArray(S, partials, p02);
        FloatVector s03 = FloatVector.fromArray(S, partials, p03);
        FloatVector s04 = FloatVector.fromArray(S, partials, p04);
        FloatVector s10 = FloatVector.fromArray(S, partials, p10);
        FloatVector s11 = FloatVector.fromArray(S, partials, p11);
        FloatVector s12 = FloatVector.fromArray(S, partials, p12);
        FloatVector s13 = FloatVector.fromArray(S, partials, p13);
        FloatVector s14 = FloatVector.fromArray(S, partials, p14);
        FloatVector s20 = FloatVector.fromArray(S, partials, p20);
        FloatVector s21 = FloatVector.fromArray(S, partials, p21);
        FloatVector s22 = FloatVector.fromArray(S, partials, p22);
        FloatVector s23 = FloatVector.fromArray(S, partials, p23);
        FloatVector s24 = FloatVector.fromArray(S, partials, p24);
        for (int p = 0; p < whole; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, b3 + p);
            FloatVector y4 = FloatVector.fromArray(S, b, b4 + p);
            s00 = x0.fma(y0, s00); s01 = x0.fma(y1, s01); s02 = x0.fma(y2, s02); s03 = x0.fma(y3, s03); s04 = x0.fma(y4, s04);
            s10 = x1.fma(y0, s10); s11 = x1.fma(y1, s11); s12 = x1.fma(y2, s12); s13 = x1.fma(y3, s13); s14 = x1.fma(y4, s14);
            s20 = x2.fma(y0, s20); s21 = x2.fma(y1, s21); s22 = x2.fma(y2, s22); s23 = x2.fma(y3, s23); s24 = x2.fma(y4, s24);
        }
        // store each real element once: a repeated row or column holds a copy of the last real one
        s00.intoArray(partials, p00);
        if (1 < cols) {
            s01.intoArray(partials, p01);
        }
        if (2 < cols) {
            s02.intoArray(partials, p02);
        }
        if (3 < cols) {
            s03.intoArray(partials, p03);
        }
        if (4 < cols) {
            s04.intoArray(partials, p04);
        }
        if (1 < rows) {
            s10.intoArray(partials, p10);
        }
        if (1 < rows && 1 < cols) {
            s11.intoArray(partials, p11);
        }
        if (1 < rows && 2 < cols) {
            s12.intoArray(partials, p12);
        }
        if (1 < rows && 3 < cols) {
            s13.intoArray(partials, p13);
        }
        if (1 < rows && 4 < cols) {
            s14.intoArray(partials, p14);
        }
        if (2 < rows) {
            s20.intoArray(partials, p20);
        }
        if (2 < rows && 1 < cols) {
            s21.intoArray(partials, p21);
        }
        if (2 < rows && 2 < cols) {
            s22.intoArray(partials, p22);
        }
        if (2 < rows && 3 < cols) {
            s23.intoArray(partials, p23);
        }
        if (2 < rows && 4 < cols) {
            s24.intoArray(partials, p24);
        }
    }
}
