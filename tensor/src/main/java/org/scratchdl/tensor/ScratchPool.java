package org.scratchdl.tensor;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * A small thread-safe pool of reusable scratch objects (for example packing buffers), so that a
 * kernel does not allocate them on every call. At most {@code capacity} idle objects are kept;
 * more are created when needed and dropped when returned to a full pool.
 *
 * @param <T> the scratch object type
 */
final class ScratchPool<T> {
    private final ArrayDeque<T> idle = new ArrayDeque<>();
    private final Supplier<? extends T> factory;
    private final int capacity;

    /** @throws IllegalArgumentException if {@code capacity < 0} */
    ScratchPool(Supplier<? extends T> factory, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        this.factory = factory;
        this.capacity = capacity;
    }

    /** An idle object, or a new one; the caller owns it until it {@link #release}s it. */
    T acquire() {
        T t;
        synchronized (idle) {
            t = idle.pollFirst();
        }
        return t != null ? t : factory.get();
    }

    /** Returns an object taken with {@link #acquire}; the caller must not use it afterwards. */
    void release(T t) {
        synchronized (idle) {
            if (idle.size() < capacity) {
                idle.addFirst(t);
            }
        }
    }

    /** The number of idle objects held. */
    int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }
}
