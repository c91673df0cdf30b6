package org.scratchdl.tensor;

import java.util.function.IntConsumer;

/**
 * A fixed number of worker threads for the compute kernels.
 *
 * <p>Work is always split into the same parts for the same thread count, and partial results are
 * combined in a fixed order, so results are bit-for-bit reproducible for a given
 * {@link #threads()}. Close it when done (its threads are daemons, so a forgotten one does not keep
 * the JVM alive). Several threads may call {@link #forEach} on one instance at once: one call at a
 * time gets the worker threads, and a call made meanwhile (or from inside a part) runs its parts
 * on its own thread, with the same result. Idle workers spin briefly, then sleep
 * ({@link WorkerGroup}).
 */
public final class Parallelism implements AutoCloseable {
    private static final Parallelism SEQUENTIAL = new Parallelism(1);

    /**
     * Fewest elements of a cheap element-wise loop worth splitting over threads (below it, handing
     * a part to another thread costs more than the part).
     */
    public static final int ELEMENTWISE_GRAIN = 1 << 14;

    private final int threads;
    private final WorkerGroup workers;

    private Parallelism(int threads) {
        this.threads = threads;
        this.workers = threads == 1 ? null : new WorkerGroup(threads - 1);
    }

    /**
     * Runs everything on the calling thread.
     *
     * @return the shared single-thread instance (it has no workers; closing it changes nothing)
     */
    public static Parallelism sequential() {
        return SEQUENTIAL;
    }

    /**
     * A pool of {@code threads} threads (the caller counts as one).
     *
     * @param threads the number of threads, the caller included
     * @return {@link #sequential()} when {@code threads == 1}, else a new instance with
     *     {@code threads − 1} daemon worker threads, started now
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Parallelism of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return threads == 1 ? SEQUENTIAL : new Parallelism(threads);
    }

    /**
     * The number of available processors.
     *
     * @return {@link Runtime#availableProcessors()} of this JVM, at least 1
     */
    public static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The number of threads, which is also the number of parts work is split into.
     *
     * @return the thread count, at least 1
     */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for {@code i = 0 .. parts-1}, on the calling thread and the
     * workers (whichever is free takes the next part), and returns when all are done. An exception
     * or error in a part is rethrown after all parts have finished (the first one, others attached
     * as suppressed). When the parts run on the calling thread alone (one thread, a closed
     * instance, or while another call has the workers), the first failure ends the call.
     *
     * @param parts the number of parts; none run when {@code parts <= 0}
     * @param task the work on part {@code i}, called once for each part
     * @throws RuntimeException the first exception a part threw, rethrown as described above (an
     *     {@link Error} likewise)
     */
    public void forEach(int parts, IntConsumer task) {
        if (parts <= 1 || workers == null) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        workers.run(parts, task);
    }

    /**
     * {@link #forEachRange(int, int, RangeTask)} with the grain {@link #ELEMENTWISE_GRAIN}, for
     * cheap element-wise loops (activations, optimizer updates).
     *
     * @param n the number of elements
     * @param task the work on one range; failures are rethrown as by {@link #forEach}
     */
    public void forEachRange(int n, RangeTask task) {
        forEachRange(n, ELEMENTWISE_GRAIN, task);
    }

    /**
     * Runs {@code task.run(from, to)} over {@code [0, n)} cut into {@link #threads()} even ranges,
     * or as one range on the calling thread when {@code n < grain}. For element-wise work, whose
     * result does not depend on the cut.
     *
     * @param n the number of elements
     * @param grain fewest elements worth splitting
     * @param task the work on one range; failures are rethrown as by {@link #forEach}
     */
    public void forEachRange(int n, int grain, RangeTask task) {
        int parts = n < grain ? 1 : threads;
        forEach(parts, p -> task.run(partStart(n, parts, p), partStart(n, parts, p + 1)));
    }

    /** Work on one range {@code [from, to)} of elements (see {@link #forEachRange}). */
    @FunctionalInterface
    public interface RangeTask {
        /**
         * Processes elements {@code from} (inclusive) to {@code to} (exclusive).
         *
         * @param from first element (inclusive)
         * @param to last element (exclusive)
         */
        void run(int from, int to);
    }

    /**
     * Start (inclusive) of part {@code part} when {@code n} items are split into {@code parts} even parts.
     *
     * @param n the number of items
     * @param parts the number of parts
     * @param part the part, {@code 0 .. parts}; {@code part == parts} gives {@code n}, the end of the last
     * @return {@code n·part / parts} in {@code long} integer division
     * @throws ArithmeticException if {@code parts == 0}
     */
    public static int partStart(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }

    /** The worker threads (the caller is not one of them), for tests. */
    Thread[] workerThreads() {
        return workers == null ? new Thread[0] : workers.threads();
    }

    /** Stops the worker threads; later calls of {@link #forEach} run on the calling thread. */
    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }
}
