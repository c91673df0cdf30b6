package org.scratchdl.tensor;

/**
 * How one matrix multiply is split over threads: into {@code parts} parts along one dimension of
 * the problem (shapes as in {@link MatMul}).
 *
 * <p>The plan depends only on the shape, the thread count and the kernel's tile sizes, so the same
 * call with the same {@link Parallelism} always splits the same way. Splitting rows or columns of C
 * does not change any result bit; splitting the depth {@code k} does (each part sums a slice of k
 * and the slices are added in part order), but the same way every time.
 *
 * @param split the dimension that is split
 * @param parts the number of parts, at least 1; 1 exactly when {@code split} is {@link Split#NONE}
 */
record GemmPlan(Split split, int parts) {

    /** Fewest multiply-adds worth handing to another thread (about 10 µs of work). */
    static final long MIN_FMAS_PER_PART = 1L << 20;
    /** Largest C (in elements) split along k: each extra part needs a partial C of this size. */
    static final long MAX_DEPTH_SPLIT_OUTPUT = 1L << 16;

    /** The dimension a multiply is split along. */
    enum Split {
        /** One part on the calling thread. */
        NONE,
        /** Parts are row ranges of C. */
        ROWS,
        /** Parts are column ranges of C. */
        COLUMNS,
        /** Parts are ranges of k, each summed into its own buffer; the buffers are added in order. */
        DEPTH
    }

    /** @throws IllegalArgumentException if parts is below 1 or does not match the split */
    GemmPlan {
        if (parts < 1 || (parts == 1) != (split == Split.NONE)) {
            throw new IllegalArgumentException("a " + split + " plan cannot have " + parts + " parts");
        }
    }

    /**
     * Chooses a plan. The number of parts is the thread count, but no more than leaves
     * {@link #MIN_FMAS_PER_PART} to each part. Then: columns when C is wider than tall and has at
     * least two column tiles per part; else rows when C has at least two row tiles per part; else
     * depth when k has at least one depth block per part and C has at most
     * {@link #MAX_DEPTH_SPLIT_OUTPUT} elements; else rows or columns in as many parts (at least 2)
     * as they allow; else no split.
     *
     * @param threads the available threads, at least 1
     * @param rowTile rows of C one kernel call computes
     * @param columnTile columns of C one kernel call computes
     * @param depthTile the length of one block of k
     */
    static GemmPlan choose(int m, int n, int k, int threads, int rowTile, int columnTile, int depthTile) {
        long fmas = (long) m * n * k;
        int parts = (int) Math.min(threads, Math.max(1, fmas / MIN_FMAS_PER_PART));
        if (parts <= 1) {
            return new GemmPlan(Split.NONE, 1);
        }
        boolean rows = m >= 2L * parts * rowTile;
        boolean columns = n >= 2L * parts * columnTile;
        if (columns && (n > m || !rows)) {
            return new GemmPlan(Split.COLUMNS, parts);
        }
        if (rows) {
            return new GemmPlan(Split.ROWS, parts);
        }
        if (k >= (long) parts * depthTile && (long) m * n <= MAX_DEPTH_SPLIT_OUTPUT) {
            return new GemmPlan(Split.DEPTH, parts);
        }
        int rowParts = m / (2 * rowTile);
        int columnParts = n / (2 * columnTile);
        if (Math.max(rowParts, columnParts) >= 2) {
            return columnParts > rowParts ? new GemmPlan(Split.COLUMNS, columnParts)
                    : new GemmPlan(Split.ROWS, rowParts);
        }
        return new GemmPlan(Split.NONE, 1);
    }

    /**
     * Start (inclusive) of part {@code part} when {@code size} items are split into whole tiles of
     * {@code tile} items (the last part takes the remainder); {@code size} itself for
     * {@code part == parts}.
     */
    static int tileAlignedStart(int size, int tile, int parts, int part) {
        if (part == parts) {
            return size;
        }
        int tiles = size / tile;
        return Parallelism.partStart(tiles, parts, part) * tile;
    }
}
