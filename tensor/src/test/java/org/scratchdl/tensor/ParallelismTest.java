package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    void theWorkersTakePartsAlsoAfterParking() throws Exception {
        try (Parallelism parallelism = Parallelism.of(3)) {
            for (int round = 0; round < 3; round++) {
                awaitAllParked(parallelism);
                // three parts that each wait for the other two: done only if two workers run them
                CyclicBarrier barrier = new CyclicBarrier(3);
                Set<String> names = ConcurrentHashMap.newKeySet();
                parallelism.forEach(3, p -> {
                    names.add(Thread.currentThread().getName());
                    try {
                        barrier.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new IllegalStateException("a part was not taken by a worker", e);
                    }
                });
                assertEquals(3, names.size(), "three threads ran the three parts: " + names);
            }
        }
    }

    @Test
    void idleWorkersParkAreDaemonsAndEndWhenClosed() throws InterruptedException {
        Parallelism parallelism = Parallelism.of(2);
        Thread[] workers = parallelism.workerThreads();
        assertEquals(1, workers.length);
        assertTrue(workers[0].isDaemon());
        awaitAllParked(parallelism);
        parallelism.close();
        workers[0].join(20_000);
        assertFalse(workers[0].isAlive(), "the worker ended");
        int[] runs = new int[2];
        parallelism.forEach(2, p -> runs[p]++);
        assertArrayEquals(new int[] {1, 1}, runs, "a closed instance runs the parts on the caller");
    }

    @Test
    void bothFailuresOfTwoPartsAreReported() {
        try (Parallelism parallelism = Parallelism.of(2)) {
            Throwable thrown = assertThrows(Throwable.class, () -> parallelism.forEach(2, p -> {
                if (p == 0) {
                    throw new AssertionError("part 0");
                }
                throw new IllegalArgumentException("part 1");
            }));
            // whichever failed first is thrown (an Error stays an Error), the other is attached
            assertEquals(1, thrown.getSuppressed().length, "the second failure is attached, not lost");
            assertEquals(Set.of("part 0", "part 1"), Set.of(thrown.getMessage(), thrown.getSuppressed()[0].getMessage()));
            assertTrue(thrown instanceof AssertionError || thrown instanceof IllegalArgumentException, thrown.toString());
        }
    }

    /** Waits (bounded by the class timeout) until every worker is parked. */
    private static void awaitAllParked(Parallelism parallelism) throws InterruptedException {
        for (Thread t : parallelism.workerThreads()) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
    }
}
