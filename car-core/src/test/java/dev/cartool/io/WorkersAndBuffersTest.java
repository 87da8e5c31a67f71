package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WorkersAndBuffersTest {
    @Test
    void aLaneRunsEveryTaskAndNeverMoreThanItsParallelismAtOnce() throws Exception {
        Workers.Lane lane = Workers.lane(3);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int k = i;
            done.add(lane.submit(() -> {
                int n = now.incrementAndGet();
                peak.accumulateAndGet(n, Math::max);
                Thread.sleep(1);
                now.decrementAndGet();
                if (k % 17 == 0) {
                    throw new IllegalStateException("task " + k);
                }
                return k;
            }));
        }
        int ok = 0;
        for (Future<Integer> f : done) {
            try {
                f.get(30, TimeUnit.SECONDS);
                ok++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(e.getCause() instanceof IllegalStateException);
            }
        }
        assertEquals(200 - 12, ok, "failures stay in their futures; the lane goes on");
        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertTrue(peak.get() >= 2, "ran in parallel: peak " + peak.get());
    }

    @Test
    void aPlainRunnableThatThrowsDoesNotStallTheLane() throws Exception {
        Workers.Lane lane = Workers.lane(1);
        CountDownLatch ran = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            lane.execute(() -> {
                ran.countDown();
                throw new IllegalStateException("boom");
            });
        }
        assertTrue(ran.await(30, TimeUnit.SECONDS));
    }

    @Test
    void buffersAreReusedBySizeClassWithinTheBudget() {
        assertEquals(1024, BufferPool.sizeClass(1));
        assertEquals(1024, BufferPool.sizeClass(1024));
        assertEquals(2048, BufferPool.sizeClass(1025));
        assertEquals(262_144, BufferPool.sizeClass(262_144));
        assertEquals(524_288, BufferPool.sizeClass(262_145));
        BufferPool pool = new BufferPool(3 * 1024);
        ByteBuffer a = pool.acquire(1000);
        assertTrue(!a.isDirect(), "a small leaf's buffer is on the heap");
        assertTrue(pool.acquire(BufferPool.HEAP_BELOW).isDirect(), "from HEAP_BELOW on, direct");
        assertTrue(!pool.acquire(BufferPool.HEAP_BELOW / 2).isDirect());
        assertEquals(1000, a.remaining());
        assertEquals(1024, a.capacity());
        pool.release(a);
        ByteBuffer again = pool.acquire(700);
        assertSame(a, again);
        assertEquals(700, again.remaining());
        ByteBuffer big = pool.acquire(5000);
        pool.release(big); // 8 KiB: over the 3 KiB budget, not kept
        assertEquals(0, pool.kept());
        assertNotSame(big, pool.acquire(5000));
    }

    @Test
    void aSlabbedPoolCutsItsDirectBuffersFromHugePagesAndStillReusesThem() {
        int cls = 256 << 10;
        BufferPool pool = BufferPool.slabbed(33L * cls, 33L * cls);
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // past what one slab holds: a second is made
            ByteBuffer b = pool.acquire(200_000);
            assertTrue(b.isDirect());
            assertEquals(cls, b.capacity());
            assertEquals(200_000, b.remaining());
            assertEquals(0, b.alignmentOffset(0, cls), "buffer " + i + " starts on its class's boundary");
            out.add(b.duplicate().clear().putInt(0, i).putInt(cls - 4, i));
        }
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInt(0), "buffer " + i + " shares no bytes with another");
            assertEquals(i, out.get(i).getInt(cls - 4));
        }
        ByteBuffer back = pool.acquire(cls);
        pool.release(back);
        assertSame(back, pool.acquire(cls), "a buffer given back is reused");
        assertTrue(!pool.acquire(1000).isDirect(), "small classes stay on the heap");
    }
}
