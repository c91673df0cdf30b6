package org.scratchdl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link ScratchPool}: reuse, the idle cap, and bad capacity. */
class ScratchPoolTest {

    @Test
    void reusesReleasedObjectsAndCreatesMoreWhenAllAreTaken() {
        AtomicInteger created = new AtomicInteger();
        ScratchPool<float[]> pool = new ScratchPool<>(() -> {
            created.incrementAndGet();
            return new float[4];
        }, 2);
        float[] first = pool.acquire();
        float[] second = pool.acquire();
        assertNotSame(first, second);
        assertEquals(2, created.get());
        pool.release(first);
        assertSame(first, pool.acquire());
        assertEquals(2, created.get());
    }

    @Test
    void keepsAtMostCapacityIdleObjects() {
        ScratchPool<Object> pool = new ScratchPool<>(Object::new, 2);
        Object a = pool.acquire();
        Object b = pool.acquire();
        Object c = pool.acquire();
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertEquals(2, pool.idleCount());
    }

    @Test
    void negativeCapacityIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ScratchPool<>(Object::new, -1));
    }
}
