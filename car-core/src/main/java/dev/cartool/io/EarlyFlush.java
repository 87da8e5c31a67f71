package dev.cartool.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts the writeback of a file being written while the rest is still to come, so that its
 * final fsync has little left to wait for: every {@link #EVERY} bytes written, a background
 * thread forces the file's data (one at a time; one still running lets the next turn pass).
 * A failure there is not kept: the final {@code force} meets it again and reports it.
 */
public final class EarlyFlush {
    /**
     * Bytes written between early flushes (system property {@code car.flushEvery} to tune).
     * `car extract` of 1 GiB, A/B runs of 10 in both orders, 1.005 vs 1.261 s and 1.089 vs
     * 1.191 s mean (it lost before extract stopped copying through the heap, when the flushing
     * thread competed with a CPU-bound writer). Every 16 MiB rather than 64, a 64 MiB image's
     * writeback starts while it is still being written: extract 200.9 / 196.7 -> 190.6 / 181.7
     * ms; 1 GiB 867.9 -> 868.2 ms, pack within noise.
     *
     * <p>Writes past the page cache ({@link AlignedWriter#bypassingCache}) count too: the device
     * (a virtual disk) acknowledges them into a cache of its own, and the final fsync of a 1 GiB
     * extract waited 0.43 s for it to be flushed; flushed every 16 MiB on the way, 35-50 ms each
     * while the writer went on, it waited 0.3 ms. Alternating runs: extract of 1 GiB 1.523 ->
     * 1.375 s (8, each faster; every 64 MiB, where 16 and 32 MiB measured the same), pack of 1
     * GiB 1.535 -> 1.311 s (6), extract of 64 MiB 0.420 -> 0.389 s (10; every 64 MiB: 0.417).
     * Before the writer's buffers were on huge pages (io.Slabs) each early flush stalled its
     * writes, then the bound, and it was slower (1.85 against 1.80 s).
     */
    static final long EVERY = Long.getLong("car.flushEvery", 16L << 20);

    private final FileChannel channel;
    private final AtomicLong since = new AtomicLong();
    private Thread flusher;
    private int started;

    public EarlyFlush(FileChannel channel) {
        this.channel = channel;
    }

    /** Counts {@code n} bytes written, starting a flush when {@link #EVERY} have been since the last. */
    public void wrote(long n) {
        if (since.addAndGet(n) >= EVERY) {
            since.set(0);
            start();
        }
    }

    /** Starts a flush of what is written so far now, unless one is under way. */
    public synchronized void start() {
        if (flusher != null && flusher.isAlive()) {
            return;
        }
        flusher = new Thread(() -> {
            try {
                channel.force(false);
            } catch (IOException e) {
                // the final force flushes again and reports any failure
            }
        }, "car-flush");
        flusher.setDaemon(true);
        flusher.start();
        started++;
    }

    /** How many flushes have been started (for tests). */
    synchronized int started() {
        return started;
    }

    /** Waits for the flush under way, if any (before the final force, and before closing). */
    public void await() throws InterruptedIOException {
        Thread f;
        synchronized (this) {
            f = flusher;
        }
        if (f != null) {
            try {
                f.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while flushing");
            }
        }
    }
}
