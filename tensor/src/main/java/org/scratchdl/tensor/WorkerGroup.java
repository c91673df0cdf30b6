package org.scratchdl.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads behind {@link Parallelism}: daemon threads that take parts of one job at a
 * time. Between jobs a worker spins ({@link #SPINS} pauses of {@link Thread#onSpinWait()}, about
 * 0.2 ms on the machines this was tuned on; the length of a pause differs between processors)
 * before it parks, because a training step hands out a dozen jobs a few microseconds apart, and
 * waking a parked thread costs 10–30 µs each time. The budget is counted in spins, not in elapsed
 * time, so that a worker the operating system suspends for a while does not count that time as
 * idleness and park in the middle of a busy stretch. A caller waiting for the other parts of its
 * job spins for the same budget, then parks until the last part is done. So an idle group, and a
 * caller waiting for a long part, use no processor.
 *
 * <p>Parts are claimed from a counter by whichever thread is free, the caller included; which
 * thread runs a part never changes its result. One job at a time: a caller that finds the group
 * busy (another caller's job, or a part asking for parts of its own) runs its parts itself, as
 * does every caller after {@link #close()}.
 */
final class WorkerGroup {
    /** How many times an idle thread spins before parking. */
    static final int SPINS = 1 << 13;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final boolean[] parked;
    private volatile Job current;
    private volatile boolean closed;

    /** One call of {@link #run}: its parts, what to do, and how far it has got. */
    private static final class Job {
        private final int parts;
        private final IntConsumer task;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean callerParked;

        Job(int parts, IntConsumer task, Thread caller) {
            this.parts = parts;
            this.task = task;
            this.caller = caller;
        }

        /** Claims and runs parts until none are left; the thread finishing the last part wakes the caller. */
        void runParts() {
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                try {
                    task.accept(p);
                } catch (Throwable e) {
                    if (!failure.compareAndSet(null, e)) {
                        failure.get().addSuppressed(e);
                    }
                } finally {
                    if (done.incrementAndGet() == parts && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits until every part is done: spins, then parks. */
        void awaitDone() {
            for (int spins = 1; done.get() < parts; spins++) {
                Thread.onSpinWait();
                if (spins >= SPINS) {
                    callerParked = true;
                    while (done.get() < parts) {
                        LockSupport.park(this);
                    }
                    callerParked = false;
                }
            }
        }
    }

    /** Starts {@code count} daemon workers. */
    WorkerGroup(int count) {
        workers = new Thread[count];
        parked = new boolean[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            workers[i] = new Thread(() -> work(index), "scratchdl-compute-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /**
     * Runs {@code task.accept(p)} for {@code p = 0 .. parts-1} on the caller and the workers, and
     * returns when all are done; an exception or error from a part is rethrown then (the first one,
     * with any others attached as suppressed). When the caller runs the parts alone (the group is
     * busy or closed), the first failure ends the call.
     */
    void run(int parts, IntConsumer task) {
        if (closed || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                task.accept(p);
            }
            return;
        }
        Job job = new Job(parts, task, Thread.currentThread());
        try {
            current = job;
            for (int i = 0; i < workers.length; i++) {
                if (isParked(i)) {
                    LockSupport.unpark(workers[i]);
                }
            }
            job.runParts();
            job.awaitDone();
        } finally {
            current = null; // so that the finished task and what it holds can be collected
            busy.set(false);
        }
        Throwable failure = job.failure.get();
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops the workers: they finish the part they are in, then end. Later calls run on the caller. */
    void close() {
        closed = true;
        for (Thread t : workers) {
            LockSupport.unpark(t);
        }
    }

    /** The worker threads, for tests. */
    Thread[] threads() {
        return workers.clone();
    }

    private synchronized boolean isParked(int i) {
        return parked[i];
    }

    private synchronized void setParked(int i, boolean value) {
        parked[i] = value;
    }

    private void work(int index) {
        Job seen = null;
        while (!closed) {
            for (int spins = 1; current == seen && !closed; spins++) {
                Thread.onSpinWait();
                if (spins >= SPINS) {
                    setParked(index, true);
                    if (current == seen && !closed) {
                        LockSupport.park(this);
                        Thread.interrupted(); // an interrupt must not turn parking into spinning
                    }
                    setParked(index, false);
                    spins = 0;
                }
            }
            seen = current;
            if (seen != null && !closed) {
                seen.runParts();
            }
        }
    }
}
