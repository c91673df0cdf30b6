package org.scratchdl.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed number of worker threads for the compute kernels.
 *
 * <p>Work is always split into the same parts for the same thread count, and partial results are
 * combined in a fixed order, so results are bit-for-bit reproducible for a given
 * {@link #threads()}. Close it when done (its threads are daemons, so a forgotten one does not keep
 * the JVM alive). Several threads may call {@link #forEach} on one instance at once (each waits
 * for its own parts); a part must not itself call {@link #forEach} on the same instance.
 */
public final class Parallelism implements AutoCloseable {
    private static final Parallelism SEQUENTIAL = new Parallelism(1);

    private final int threads;
    private final ExecutorService pool;

    private Parallelism(int threads) {
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "scratchdl-compute");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs everything on the calling thread. */
    public static Parallelism sequential() {
        return SEQUENTIAL;
    }

    /**
     * A pool of {@code threads} threads (the caller counts as one).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static Parallelism of(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return threads == 1 ? SEQUENTIAL : new Parallelism(threads);
    }

    /** The number of available processors. */
    public static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads, which is also the number of parts work is split into. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for {@code i = 0 .. parts-1}, part 0 on the calling thread, and
     * returns when all are done. An exception in any part is rethrown.
     */
    public void forEach(int parts, IntConsumer task) {
        if (parts <= 1 || pool == null) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            int part = i;
            futures.add(pool.submit(() -> task.accept(part)));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for compute threads", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Runs {@code task.run(from, to)} over {@code [0, n)} cut into {@link #threads()} even ranges,
     * or as one range on the calling thread when {@code n < grain}. For element-wise work, whose
     * result does not depend on the cut.
     *
     * @param grain fewest elements worth splitting
     */
    public void forEachRange(int n, int grain, RangeTask task) {
        int parts = n < grain ? 1 : threads;
        forEach(parts, p -> task.run(partStart(n, parts, p), partStart(n, parts, p + 1)));
    }

    /** Work on one range {@code [from, to)} of elements. */
    @FunctionalInterface
    public interface RangeTask {
        /** Processes elements {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    /** Start (inclusive) of part {@code part} when {@code n} items are split into {@code parts} even parts. */
    public static int partStart(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
