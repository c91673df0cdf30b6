package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@link GemmPlan} splits the SimpleConvNet shapes and small problems over threads. */
class GemmPlanTest {

    @ParameterizedTest(name = "{0}×{1}×{2} on {3} threads: {4} in {5}")
    @CsvSource({
        // conv forward, col·Wᵀ: many rows
        "57600, 30, 25, 2, ROWS, 2",
        // conv dW, doutᵀ·col: tiny output, long k
        "30, 25, 57600, 2, DEPTH, 2",
        "30, 25, 57600, 3, DEPTH, 3",
        // affine forward x·W and dW xᵀ·dout: rows
        "100, 100, 4320, 2, ROWS, 2",
        "4320, 100, 100, 2, ROWS, 2",
        // affine dx, dout·Wᵀ: wide output
        "100, 4320, 100, 2, COLUMNS, 2",
        // affine 2: too little work to hand to another thread
        "100, 10, 100, 2, NONE, 1",
        "100, 100, 10, 2, NONE, 1",
        // one thread never splits
        "57600, 30, 25, 1, NONE, 1",
        // enough work for two parts only
        "1024, 32, 64, 3, ROWS, 2",
        // small in every dimension but k too short to split
        "8, 8, 40000, 2, DEPTH, 2",
        "8, 8, 300, 2, NONE, 1",
        // many threads: too big a C to split along k, so as many row parts as the rows allow
        "1000, 1000, 100000, 64, ROWS, 50",
        "200, 1000, 100000, 64, COLUMNS, 15",
    })
    void splitsSimpleConvNetShapes(int m, int n, int k, int threads, GemmPlan.Split split, int parts) {
        GemmPlan plan = GemmPlan.choose(m, n, k, threads, 10, 32, 256);
        assertEquals(new GemmPlan(split, parts), plan);
    }

    @ParameterizedTest(name = "size {0}, tile {1}, {2} parts")
    @CsvSource({"100, 10, 2", "57600, 10, 3", "4320, 32, 2", "4321, 32, 3", "57600, 256, 2", "25, 10, 2"})
    void tileAlignedPartsCoverEverythingInOrderOnTileBoundaries(int size, int tile, int parts) {
        int previous = 0;
        assertEquals(0, GemmPlan.tileAlignedStart(size, tile, parts, 0));
        for (int part = 1; part <= parts; part++) {
            int start = GemmPlan.tileAlignedStart(size, tile, parts, part);
            if (part < parts) {
                assertEquals(0, start % tile, "part " + part + " starts off a tile boundary");
            }
            assertEquals(true, start >= previous, "parts out of order");
            previous = start;
        }
        assertEquals(size, previous);
    }

    @ParameterizedTest
    @CsvSource({"NONE, 2", "ROWS, 1", "DEPTH, 0"})
    void inconsistentPlansAreRejected(GemmPlan.Split split, int parts) {
        assertThrows(IllegalArgumentException.class, () -> new GemmPlan(split, parts));
    }
}
