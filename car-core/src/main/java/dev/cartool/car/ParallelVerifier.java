package dev.cartool.car;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Future;

import dev.cartool.block.Block;
import dev.cartool.block.BlockVerifier;
import dev.cartool.io.Futures;
import dev.cartool.io.Workers;

/**
 * Verifies the blocks of a {@link CarReader} on several threads while keeping file order: the
 * calling thread reads sections, worker threads hash them, and {@link #next()} hands blocks
 * back in the order they were read, each only once its hash has been checked.
 *
 * <p>Memory is bounded: at most {@code maxInFlightBytes} of block data (plus one section) is
 * held ahead of the consumer. A problem is reported at the block where it occurs: a bad block
 * after good ones is thrown only once the good ones have been returned.
 */
public final class ParallelVerifier implements BlockCursor {
    /** Read-ahead budget by default: enough to keep the cores busy, small beside the heap. */
    public static final long DEFAULT_IN_FLIGHT_BYTES = 16L << 20;

    private final CarReader reader;
    private final Workers.Lane pool;
    private final long maxInFlightBytes;
    private final int maxInFlightBlocks;
    private final ArrayDeque<Future<Block>> pending = new ArrayDeque<>();
    private long inFlightBytes;
    private IOException readError;
    private boolean eof;

    private ParallelVerifier(CarReader reader, int threads, long maxInFlightBytes) {
        this.reader = reader;
        this.maxInFlightBytes = maxInFlightBytes;
        this.maxInFlightBlocks = Math.max(4, threads * 64);
        this.pool = Workers.lane(threads);
    }

    /** Verifies on as many threads as there are processors. */
    public static ParallelVerifier of(CarReader reader) {
        return of(reader, Runtime.getRuntime().availableProcessors(), DEFAULT_IN_FLIGHT_BYTES);
    }

    /**
     * @param reader a reader opened with {@link CarReaderOptions#trusting()}; one that verifies
     *     on its own is passed through without hashing twice
     * @param threads worker threads; 0 verifies on the calling thread
     */
    public static ParallelVerifier of(CarReader reader, int threads, long maxInFlightBytes) {
        boolean already = reader.options().verifyHashes();
        return new ParallelVerifier(reader, already ? 0 : threads, maxInFlightBytes);
    }

    public CarHeader header() {
        return reader.header();
    }

    /** Bytes the underlying reader has consumed (ahead of what has been returned). */
    public long bytesRead() {
        return reader.bytesRead();
    }

    /** The next verified block in file order, or null at the end. */
    public Block next() throws IOException {
        if (pool == null) {
            Block b = reader.next();
            if (b != null && !reader.options().verifyHashes()) {
                BlockVerifier.verify(b);
            }
            return b;
        }
        fill();
        Future<Block> f = pending.poll();
        if (f == null) {
            if (readError != null) {
                IOException e = readError;
                readError = null;
                eof = true;
                throw e;
            }
            return null;
        }
        Block b = Futures.await(f);
        inFlightBytes -= b.length();
        return b;
    }

    private void fill() {
        while (!eof && readError == null && pending.size() < maxInFlightBlocks
                && (inFlightBytes < maxInFlightBytes || pending.isEmpty())) {
            Block b;
            try {
                b = reader.next();
            } catch (IOException e) {
                readError = e;
                return;
            }
            if (b == null) {
                eof = true;
                return;
            }
            inFlightBytes += b.length();
            if (b.length() < CarFileSource.INLINE_BELOW) {
                // Hashing a small block costs less than handing it to another thread and back
                // (a CAR of 4 million 64-byte blocks on a pipe: 8 million futex calls).
                try {
                    BlockVerifier.verify(b);
                    pending.add(java.util.concurrent.CompletableFuture.completedFuture(b));
                } catch (IOException e) {
                    pending.add(java.util.concurrent.CompletableFuture.failedFuture(e));
                }
                continue;
            }
            pending.add(pool.submit(() -> {
                BlockVerifier.verify(b);
                return b;
            }));
        }
    }

    @Override
    public void close() throws IOException {
        if (pool != null) {
            pool.cancel();
        }
        reader.close();
    }
}
