package org.scratchdl.tensor;

import java.util.Arrays;

/**
 * The fast matrix-multiply kernel, on the JDK's incubating Vector API ({@code jdk.incubator.vector}).
 *
 * <p>This class needs the module {@code jdk.incubator.vector} at run time
 * ({@code --add-modules jdk.incubator.vector}); use {@link GemmKernel#fastest()}, which picks it only
 * when the module is present. Its public signatures mention no incubator type.
 *
 * <p>Method (after Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", ACM
 * TOMS 34(3), 2008): C is computed in column blocks of {@value #COLUMN_BLOCK} columns (the last one
 * takes up to 2·L more, rather than leaving a sliver) and depth blocks of {@value #DEPTH_BLOCK},
 * each cut into panels two vectors (2·L columns) wide; the rows of C go in blocks of
 * {@value #ROW_BLOCK_TILES} row tiles, each through every panel before the next, so that the
 * block's slice of A comes from memory once and from the cache for the other panels (with a
 * transposed A, each depth step of a tile is in another row of A's storage, which the processor's
 * prefetchers do not follow); a register-blocked micro-kernel ({@link VectorGemmKernels},
 * {@value VectorGemmKernels#TALL_TILE_ROWS} rows × 2 vectors, with versions per layout of A in
 * {@link VectorGemmRowMajorAKernels} and {@link VectorGemmTransposedAKernels}; on processors with
 * 16 vector registers, such as x86 without AVX-512, the
 * {@value VectorGemmKernels#SHORT_TILE_ROWS}-row kernels of {@link VectorGemmShortTileKernels})
 * sweeps each panel down the rows of {@code op(A)}, which is read in place through its row and
 * depth strides (both layouts of A need no copy). A row-major B is read in place too: its panel
 * rows are contiguous already, and at these shapes (a few row tiles per panel) copying it cost more
 * than the copy saved. A transposed B is first packed into contiguous panels. At the right edge of
 * C, a last panel of L+1 .. 2L−1 columns uses two overlapping vectors (both whole, computing the
 * shared columns identically), and one of at most L columns a one-vector kernel on the last L
 * columns; only when C is under L columns wide does a panel go through a small scratch tile. So no
 * load or store is masked.
 *
 * <p>Every element of C is one chain of fused multiply-adds over {@code p = 0 .. k-1} in order,
 * starting from 0 (or from C when accumulating), whatever the blocking and the row or column split;
 * only a split of k over threads ({@link GemmPlan.Split#DEPTH}) changes the rounding, and then the
 * same way for the same thread count. So results are reproducible bit for bit per thread count.
 *
 * <p>Performance notes: the JIT compiles the kernels only after they have run for a while, and
 * until then the Vector API is slow (the first multiplies of a program can take seconds), so time
 * it after a warm-up. A C with fewer rows than a tile still costs a full tile of rows, and a
 * transposed B is packed with scalar copies.
 *
 * <p>Thread-safe: each call takes its packing buffers from a small pool owned by the instance.
 */
public final class VectorGemm implements GemmKernel {
    /** Length of one block of k: a two-vector panel of B (32 KiB with L = 16) stays in L1. */
    static final int DEPTH_BLOCK = 256;
    /** Columns of C per column block (a multiple of 2·L): a block of B stays in L2. */
    static final int COLUMN_BLOCK = 512;
    /** Row tiles per row block: a row block of A (at most 120 rows × a depth block) stays in L2. */
    static final int ROW_BLOCK_TILES = 12;

    private static final int L = VectorGemmKernels.LANES;
    private static final int ROWS = VectorGemmKernels.ROWS;
    private static final boolean SHORT_TILES = VectorGemmKernels.SHORT_TILES;
    private static final int ROW_BLOCK = ROW_BLOCK_TILES * ROWS;
    /** Ints per panel descriptor: vectors (1 or 2), width in columns, column of vector 0, of vector 1. */
    private static final int PANEL_INTS = 4;

    private final ScratchPool<Workspace> workspaces =
            new ScratchPool<>(Workspace::new, 2 * Parallelism.availableCores() + 2);

    /**
     * A new kernel with its own buffer pool.
     *
     * @throws NoClassDefFoundError if the module {@code jdk.incubator.vector} is absent
     * @throws IllegalStateException if the column block ({@value #COLUMN_BLOCK} columns) is not a multiple
     *     of 2·L
     */
    public VectorGemm() {
        if (COLUMN_BLOCK % (2 * L) != 0) {
            throw new IllegalStateException("column block " + COLUMN_BLOCK + " is not a multiple of " + 2 * L);
        }
    }

    /**
     * Floats per vector of the preferred species on this machine (16 with AVX-512, 8 with AVX2).
     *
     * @return the number of lanes L
     * @throws NoClassDefFoundError if the module {@code jdk.incubator.vector} is absent
     */
    public static int lanes() {
        return L;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                     boolean accumulate, Parallelism parallelism) {
        GemmArguments.check(m, n, k, a, aOff, b, bOff, c, cOff);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        Operands op = new Operands(transA, transB, m, n, k, a, aOff, b, bOff);
        GemmPlan plan = plan(m, n, k, parallelism.threads());
        int parts = plan.parts();
        Workspace[] ws = new Workspace[parts];
        try {
            for (int i = 0; i < parts; i++) {
                ws[i] = workspaces.acquire();
            }
            switch (plan.split()) {
                case NONE -> block(op, ws[0], 0, m, 0, n, 0, k, c, cOff, accumulate);
                case ROWS -> parallelism.forEach(parts, i -> block(op, ws[i],
                        GemmPlan.tileAlignedStart(m, ROWS, parts, i),
                        GemmPlan.tileAlignedStart(m, ROWS, parts, i + 1), 0, n, 0, k, c, cOff, accumulate));
                case COLUMNS -> parallelism.forEach(parts, i -> block(op, ws[i], 0, m,
                        GemmPlan.tileAlignedStart(n, 2 * L, parts, i),
                        GemmPlan.tileAlignedStart(n, 2 * L, parts, i + 1), 0, k, c, cOff, accumulate));
                case DEPTH -> depthSplit(op, ws, parts, c, cOff, accumulate, parallelism);
            }
        } finally {
            for (Workspace w : ws) {
                if (w != null) {
                    workspaces.release(w);
                }
            }
        }
    }

    /**
     * How a call of this shape is split over {@code threads} threads. The choice counts rows in
     * tiles of {@value VectorGemmKernels#TALL_TILE_ROWS} with either tile height, so that the
     * six-row tiles split no multiply along k where the ten-row ones would not, or the other way
     * round: a thread count gives the same bits with both (the row parts still start at whole
     * tiles of the height in use).
     */
    static GemmPlan plan(int m, int n, int k, int threads) {
        return GemmPlan.choose(m, n, k, threads, VectorGemmKernels.TALL_TILE_ROWS, 2 * L, DEPTH_BLOCK);
    }

    /** Part 0 sums its slice of k into C; the others into their own buffers, added to C in part order. */
    private static void depthSplit(Operands op, Workspace[] ws, int parts, float[] c, int cOff,
                                   boolean accumulate, Parallelism parallelism) {
        int size = op.m * op.n;
        parallelism.forEach(parts, i -> {
            int p0 = GemmPlan.tileAlignedStart(op.k, DEPTH_BLOCK, parts, i);
            int p1 = GemmPlan.tileAlignedStart(op.k, DEPTH_BLOCK, parts, i + 1);
            if (i == 0) {
                block(op, ws[0], 0, op.m, 0, op.n, p0, p1, c, cOff, accumulate);
            } else {
                block(op, ws[i], 0, op.m, 0, op.n, p0, p1, ws[i].partial(size), 0, false);
            }
        });
        for (int i = 1; i < parts; i++) {
            float[] partial = ws[i].partial;
            for (int j = 0; j < size; j++) {
                c[cOff + j] += partial[j];
            }
        }
    }

    /**
     * {@code C[i0:i1, j0:j1] (=|+=) op(A)[i0:i1, p0:p1]·op(B)[p0:p1, j0:j1]}, where C has row length
     * {@code op.n} from {@code cOff}. A row-major B is read in place; a transposed B, and a narrow
     * panel of either, is packed first.
     */
    private static void block(Operands op, Workspace ws, int i0, int i1, int j0, int j1, int p0, int p1,
                              float[] c, int cOff, boolean accumulate) {
        int rowStride = op.transA ? 1 : op.k;
        int depthStride = op.transA ? op.m : 1;
        int[] panels = ws.panels;
        boolean inPlace = !op.transB;
        for (int jc = j0; jc < j1; ) {
            int je = j1 - jc > COLUMN_BLOCK + 2 * L ? jc + COLUMN_BLOCK : j1;
            int count = planPanels(jc, je, panels);
            for (int pc = p0; pc < p1; pc += DEPTH_BLOCK) {
                int kc = Math.min(DEPTH_BLOCK, p1 - pc);
                boolean load = accumulate || pc > p0;
                packB(op, pc, kc, panels, count, ws.packedB, inPlace);
                int ai0 = op.aOff + pc * depthStride;
                // a block of rows at a time, so that its slice of A is read from memory once and
                // then from the cache for every panel
                for (int ib = i0; ib < i1; ib += ROW_BLOCK) {
                    int ie = Math.min(i1, ib + ROW_BLOCK);
                    int bi = 0;
                    for (int q = 0; q < count; q++) {
                        int vectors = panels[q * PANEL_INTS];
                        int width = panels[q * PANEL_INTS + 1];
                        int col0 = panels[q * PANEL_INTS + 2];
                        int col1 = panels[q * PANEL_INTS + 3];
                        boolean packed = !inPlace || width < L;
                        float[] bp = packed ? ws.packedB : op.b;
                        int bStart = packed ? bi : op.bOff + pc * op.n;
                        int bStride = packed ? vectors * L : op.n;
                        int b0 = packed ? 0 : col0;
                        int b1 = packed ? L : col1;
                        if (vectors == 2) {
                            twoVectorPanel(ws, kc, op.a, ai0, ib, ie, rowStride, depthStride, bp, bStart, bStride, b0,
                                    b1, c, cOff, op.n, col0, col1, load);
                        } else if (width == L) {
                            oneVectorPanel(ws, kc, op.a, ai0, ib, ie, rowStride, depthStride, bp, bStart, bStride, b0,
                                    c, cOff, op.n, col0, load);
                        } else {
                            narrowPanel(op, ws, kc, ai0, rowStride, depthStride, bStart, ib, ie, col0, width, c, cOff,
                                    load);
                        }
                        if (packed) {
                            bi += vectors * L * kc;
                        }
                    }
                }
            }
            jc = je;
        }
    }

    /**
     * Rows {@code i0 .. i1-1} of a panel of 2 vectors of columns, tile by tile ({@link #ROWS} rows;
     * arguments as in {@link VectorGemmKernels}, with C's row {@code i} at {@code c[cOff + i·ldc]}
     * and A's at {@code a[ai0 + i·rowStride]}), each by the kernel for A's layout, in its ten-row or
     * six-row version ({@link #SHORT_TILES}, a constant the JIT folds): a row-major A (depth stride
     * 1) tile by tile, the last one possibly partial; a transposed A (row stride 1) in whole tiles,
     * and a last partial tile through {@link #partialTransposedTile}. Both kernels compute the same
     * fma chains and keep A's bounds checks out of the loop or down to the tile's two ends. The
     * layout is tested once per panel, before the loop over tiles. With the test inside that loop,
     * HotSpot's C2 compiler made the compiled loop depend on the layouts profiled so far ("profile
     * predicate" deoptimisations in flight recordings), and a multiply of another layout then made
     * it discard and recompile the whole of {@link #block}: 4 or 5 compilations and 5 to 7
     * deoptimisations of it in each of three runs of {@code bench} (in another run, six C2
     * compilations of it fell inside the timed mini-batches); with the test before the loop, 1
     * compilation and none.
     */
    private static void twoVectorPanel(Workspace ws, int kc, float[] a, int ai0, int i0, int i1, int rowStride,
                                       int depthStride, float[] bp, int bi, int bStride, int b0, int b1, float[] c,
                                       int cOff, int ldc, int col0, int col1, boolean load) {
        if (depthStride == 1) {
            for (int i = i0; i < i1; i += ROWS) {
                int rows = Math.min(ROWS, i1 - i);
                if (SHORT_TILES) {
                    VectorGemmShortTileKernels.rowMajorATwoVectors(kc, a, ai0 + i * rowStride, rows, rowStride,
                            bp, bi, bStride, b0, b1, c, cOff + i * ldc, ldc, col0, col1, load);
                } else {
                    VectorGemmRowMajorAKernels.twoVectors(kc, a, ai0 + i * rowStride, rows, rowStride,
                            bp, bi, bStride, b0, b1, c, cOff + i * ldc, ldc, col0, col1, load);
                }
            }
            return;
        }
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
            transposedTile(2, kc, a, ai0 + i, depthStride, bp, bi, bStride, b0, b1, c, cOff + i * ldc, ldc,
                    col0, col1, load);
        }
        if (i < i1) {
            partialTransposedTile(ws, 2, kc, a, ai0 + i, i1 - i, depthStride, bp, bi, bStride, b0, b1, c,
                    cOff + i * ldc, ldc, col0, col1, load);
        }
    }

    /** {@link #twoVectorPanel} for a panel of one vector of columns. */
    private static void oneVectorPanel(Workspace ws, int kc, float[] a, int ai0, int i0, int i1, int rowStride,
                                       int depthStride, float[] bp, int bi, int bStride, int b0, float[] c, int cOff,
                                       int ldc, int col0, boolean load) {
        if (depthStride == 1) {
            for (int i = i0; i < i1; i += ROWS) {
                int rows = Math.min(ROWS, i1 - i);
                if (SHORT_TILES) {
                    VectorGemmShortTileKernels.rowMajorAOneVector(kc, a, ai0 + i * rowStride, rows, rowStride,
                            bp, bi, bStride, b0, c, cOff + i * ldc, ldc, col0, load);
                } else {
                    VectorGemmRowMajorAKernels.oneVector(kc, a, ai0 + i * rowStride, rows, rowStride,
                            bp, bi, bStride, b0, c, cOff + i * ldc, ldc, col0, load);
                }
            }
            return;
        }
        int i = i0;
        for (; i + ROWS <= i1; i += ROWS) {
            transposedTile(1, kc, a, ai0 + i, depthStride, bp, bi, bStride, b0, b0, c, cOff + i * ldc, ldc,
                    col0, col0, load);
        }
        if (i < i1) {
            partialTransposedTile(ws, 1, kc, a, ai0 + i, i1 - i, depthStride, bp, bi, bStride, b0, b0, c,
                    cOff + i * ldc, ldc, col0, col0, load);
        }
    }

    /**
     * One whole tile ({@link #ROWS} rows) of a transposed A by {@code vectors} (1 or 2) vectors of
     * columns, by the kernel of this machine's tile height; with one vector, {@code b1} and
     * {@code col1} are not read.
     */
    private static void transposedTile(int vectors, int kc, float[] a, int ai, int depthStride, float[] bp, int bi,
                                       int bStride, int b0, int b1, float[] c, int ci, int ldc, int col0, int col1,
                                       boolean load) {
        if (SHORT_TILES && vectors == 2) {
            VectorGemmShortTileKernels.transposedATwoVectors(kc, a, ai, depthStride, bp, bi, bStride, b0, b1, c, ci,
                    ldc, col0, col1, load);
        } else if (SHORT_TILES) {
            VectorGemmShortTileKernels.transposedAOneVector(kc, a, ai, depthStride, bp, bi, bStride, b0, c, ci, ldc,
                    col0, load);
        } else if (vectors == 2) {
            VectorGemmTransposedAKernels.twoVectors(kc, a, ai, depthStride, bp, bi, bStride, b0, b1, c, ci, ldc,
                    col0, col1, load);
        } else {
            VectorGemmTransposedAKernels.oneVector(kc, a, ai, depthStride, bp, bi, bStride, b0, c, ci, ldc, col0,
                    load);
        }
    }

    /**
     * The last {@code rows} (fewer than {@link #ROWS}) rows of a transposed A, by the whole-tile
     * kernel: their values of A are copied, depth after depth, into a tile padded with zeros, and
     * the tile of C is computed in a scratch tile (loaded from C first with {@code load}), of which
     * the real rows are copied back. Each real element is the same fma chain as in place. A kernel
     * for partial tiles would be called once per panel and multiply, too rarely for the JIT to
     * compile it early: the Vector API then runs unoptimised for hundreds of mini-batches.
     */
    private static void partialTransposedTile(Workspace ws, int vectors, int kc, float[] a, int ai, int rows,
                                              int depthStride, float[] bp, int bi, int bStride, int b0, int b1,
                                              float[] c, int ci, int ldc, int col0, int col1, boolean load) {
        float[] at = ws.aTile;
        for (int p = 0; p < kc; p++) {
            System.arraycopy(a, ai + p * depthStride, at, p * ROWS, rows);
            Arrays.fill(at, p * ROWS + rows, (p + 1) * ROWS, 0f);
        }
        float[] ct = ws.cTile2;
        int w = 2 * L;
        if (load) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, ci + r * ldc + col0, ct, r * w, L);
                System.arraycopy(c, ci + r * ldc + col1, ct, r * w + L, L);
            }
        }
        transposedTile(vectors, kc, at, 0, ROWS, bp, bi, bStride, b0, b1, ct, 0, w, 0, L, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ct, r * w, c, ci + r * ldc + col0, L);
            if (vectors == 2) {
                System.arraycopy(ct, r * w + L, c, ci + r * ldc + col1, L);
            }
        }
    }

    /** A panel of {@code width < L} columns: computed in a scratch tile of L columns, then copied. */
    private static void narrowPanel(Operands op, Workspace ws, int kc, int ai0, int rowStride, int depthStride,
                                    int bi, int i0, int i1, int col, int width, float[] c, int cOff,
                                    boolean load) {
        for (int i = i0; i < i1; i += ROWS) {
            narrowTile(op, ws, kc, ai0 + i * rowStride, Math.min(ROWS, i1 - i), rowStride, depthStride, bi,
                    cOff + i * op.n + col, width, c, load);
        }
    }

    /**
     * {@code rows} (1..{@link #ROWS}) rows of a narrow panel: C's {@code width} (&lt; L) columns
     * of row r at {@code c[ci + r·n]}, op(A)'s row r from {@code a[ai + r·rowStride]}, the packed
     * panel of B from {@code packedB[bi]}, depth {@code kc}. With {@code load} the rows are copied
     * into the scratch tile first and accumulated there. A method of its own, called once per
     * tile, so that the JIT compiles it after a few multiplies rather than after hundreds.
     */
    private static void narrowTile(Operands op, Workspace ws, int kc, int ai, int rows, int rowStride, int depthStride,
                                   int bi, int ci, int width, float[] c, boolean load) {
        float[] tile = ws.cTile;
        if (load) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, ci + r * op.n, tile, r * L, width);
            }
        }
        oneVectorPanel(ws, kc, op.a, ai, 0, rows, rowStride, depthStride, ws.packedB, bi, L, 0, tile, 0, L, 0, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * L, c, ci + r * op.n, width);
        }
    }

    /**
     * Splits columns {@code [jc, je)} into panels: two-vector panels of 2·L columns, then, for a
     * remainder of r columns, one two-vector panel of overlapping vectors ending at {@code je} when
     * {@code L < r < 2L}, one one-vector panel when r = L; when {@code r < L}, the last full panel and the
     * remainder become a two-vector panel of L + r overlapping columns and a one-vector panel of
     * L, so a panel is narrow only when the whole range is under L columns. Writes
     * {@link #PANEL_INTS} ints per panel into {@code out}; returns the panel count.
     */
    private static int planPanels(int jc, int je, int[] out) {
        int count = 0;
        int j = jc;
        for (; je - j >= 2 * L; j += 2 * L) {
            set(out, count++, 2, 2 * L, j, j + L);
        }
        int r = je - j;
        if (r > L) {
            set(out, count++, 2, r, j, je - L);
        } else if (r > 0 && count > 0) {
            // the last full panel and the remainder, 2L + r columns, as L + r (two overlapping
            // vectors) and L (one vector): three vectors, as with a narrow panel, but none narrow
            int start = j - 2 * L;
            set(out, count - 1, 2, L + r, start, start + r);
            set(out, count++, 1, L, je - L, je - L);
        } else if (r > 0) {
            set(out, count++, 1, r, j, j);
        }
        return count;
    }

    private static void set(int[] out, int panel, int vectors, int width, int col0, int col1) {
        int base = panel * PANEL_INTS;
        out[base] = vectors;
        out[base + 1] = width;
        out[base + 2] = col0;
        out[base + 3] = col1;
    }

    /**
     * Packs {@code op(B)[pc:pc+kc, panel columns]} panel after panel; within a panel, row p holds
     * the panel's vectors side by side ({@code vectors·L} floats). With {@code narrowOnly}, only
     * panels under L columns wide are packed (the others are read in place).
     */
    private static void packB(Operands op, int pc, int kc, int[] panels, int count, float[] dst, boolean narrowOnly) {
        int d = 0;
        for (int q = 0; q < count; q++) {
            int vectors = panels[q * PANEL_INTS];
            int width = panels[q * PANEL_INTS + 1];
            int stride = vectors * L;
            if (narrowOnly && width >= L) {
                continue;
            }
            if (width < L) {
                packNarrow(op, pc, kc, panels[q * PANEL_INTS + 2], width, dst, d);
            } else {
                for (int v = 0; v < vectors; v++) {
                    int col = panels[q * PANEL_INTS + 2 + v];
                    if (op.transB) {
                        packTransposed(op, pc, kc, col, dst, d + v * L, stride);
                    } else {
                        int src = op.bOff + pc * op.n + col;
                        int to = d + v * L;
                        for (int p = 0; p < kc; p++) {
                            VectorGemmKernels.copyVector(op.b, src + p * op.n, dst, to + p * stride);
                        }
                    }
                }
            }
            d += stride * kc;
        }
    }

    /** {@code dst[to + p·stride + l] = op(B)[pc + p, col + l]} for {@code l < L}, from B stored (n, k). */
    private static void packTransposed(Operands op, int pc, int kc, int col, float[] dst, int to, int stride) {
        for (int l = 0; l < L; l++) {
            int src = op.bOff + (col + l) * op.k + pc;
            for (int p = 0; p < kc; p++) {
                dst[to + l + p * stride] = op.b[src + p];
            }
        }
    }

    /**
     * Packs a narrow panel ({@code width < L} columns) into rows of L floats; lanes from
     * {@code width} on are left as they are: they only ever reach scratch-tile columns that are
     * never copied to C.
     */
    private static void packNarrow(Operands op, int pc, int kc, int col, int width, float[] dst, int d) {
        if (op.transB) {
            for (int l = 0; l < width; l++) {
                int src = op.bOff + (col + l) * op.k + pc;
                for (int p = 0; p < kc; p++) {
                    dst[d + l + p * L] = op.b[src + p];
                }
            }
        } else {
            int src = op.bOff + pc * op.n + col;
            for (int p = 0; p < kc; p++) {
                System.arraycopy(op.b, src + p * op.n, dst, d + p * L, width);
            }
        }
    }

    /** The operands of one call, shapes as in {@link MatMul}. */
    private record Operands(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, float[] b, int bOff) {
    }

    /**
     * One thread's buffers, reused across calls: packed B block, scratch C tiles of one and two
     * vectors, a partial tile of a transposed A, panel descriptors.
     */
    private static final class Workspace {
        final float[] packedB = new float[DEPTH_BLOCK * (COLUMN_BLOCK + 4 * L)];
        final float[] cTile = new float[ROWS * L];
        final float[] aTile = new float[ROWS * DEPTH_BLOCK];
        final float[] cTile2 = new float[ROWS * 2 * L];
        final int[] panels = new int[PANEL_INTS * (COLUMN_BLOCK / L + 4)];
        float[] partial = new float[0];

        /** A buffer for a partial C of {@code size} floats, grown when too small (contents undefined). */
        float[] partial(int size) {
            if (partial.length < size) {
                partial = new float[size];
            }
            return partial;
        }
    }
}
