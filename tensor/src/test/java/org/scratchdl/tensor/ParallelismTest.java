package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Parallelism#forEach} runs every part once, whoever calls it and however often. */
@Timeout(60)
class ParallelismTest {

    @Test
    void runsEveryPartExactlyOnceAlsoWithMorePartsThanThreads() {
        try (Parallelism parallelism = Parallelism.of(3)) {
            for (int parts : new int[] {1, 2, 3, 7, 50}) {
                for (int round = 0; round < 200; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                    parallelism.forEach(parts, runs::incrementAndGet);
                    for (int p = 0; p < parts; p++) {
                        assertEquals(1, runs.get(p), "part " + p + " of " + parts);
                    }
                }
            }
        }
    }

    @Test
    void rethrowsAFailingPartAfterTheOthersFinish() {
        try (Parallelism parallelism = Parallelism.of(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> parallelism.forEach(4, p -> {
                runs.incrementAndGet(p);
                if (p == 3) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            for (int p = 0; p < 4; p++) {
                assertEquals(1, runs.get(p), "part " + p);
            }
            // and the workers are still there for the next call
            AtomicIntegerArray again = new AtomicIntegerArray(2);
            parallelism.forEach(2, again::incrementAndGet);
            assertEquals(1, again.get(0));
            assertEquals(1, again.get(1));
        }
    }

    @Test
    void aPartMayCallForEachOnTheSameInstance() {
        try (Parallelism parallelism = Parallelism.of(2)) {
            int[][] cells = new int[3][4];
            parallelism.forEach(3, i -> parallelism.forEach(4, j -> cells[i][j] = 10 * i + j));
            assertArrayEquals(new int[] {20, 21, 22, 23}, cells[2]);
            assertArrayEquals(new int[] {0, 1, 2, 3}, cells[0]);
        }
    }

    @Test
    void concurrentCallersAllGetTheirParts() throws InterruptedException {
        try (Parallelism parallelism = Parallelism.of(2)) {
            int callers = 6;
            long[][] sums = new long[callers][3];
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int caller = c;
                threads[c] = new Thread(() -> {
                    for (int round = 0; round < 500; round++) {
                        parallelism.forEach(3, p -> sums[caller][p] += p + 1);
                    }
                });
                threads[c].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (long[] s : sums) {
                assertArrayEquals(new long[] {500, 1000, 1500}, s);
            }
        }
    }

    @Test
    void workersWakeUpAfterSleeping() throws InterruptedException {
        try (Parallelism parallelism = Parallelism.of(2)) {
            for (int round = 0; round < 3; round++) {
                Thread.sleep(50); // long enough for the workers to park
                String[] names = new String[8];
                parallelism.forEach(8, p -> names[p] = Thread.currentThread().getName());
                for (int p = 0; p < names.length; p++) {
                    assertNotNull(names[p], "part " + p + " ran");
                }
            }
        }
    }
}
