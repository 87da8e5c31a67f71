package dev.cartool.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import dev.cartool.cid.Cid;
import dev.cartool.io.Futures;
import dev.cartool.io.Workers;

/**
 * A run of small blocks to be read as one piece of work ({@link DataReader#readData(DataReads)}):
 * each block's CID, the buffer it goes into, and once the work is done its outcome. A hand-off
 * between threads costs more than reading and hashing a 64-byte block; a run of a few hundred
 * pays it once. Filled by one thread, done by another, read back by the first after
 * {@link #done()} completes.
 *
 * <p>Runs of one file's leaves are chained ({@code previous}): a reader does them one after the
 * other, and each starts where the one before it left off ({@link #endedAt}), so its first block
 * is found without an index lookup.
 */
public final class DataReads {
    private final Cid[] cids;
    private final ByteBuffer[] into;
    private final Object[] outcomes;
    private int count;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile DataReads previous;
    private volatile Object endSource;
    private volatile long endOffset = -1;
    /** The chain's queue of runs (see {@link #inTurn}), shared with the run before. */
    private Workers.Lane turn;

    /** Room for {@code capacity} reads. */
    public DataReads(int capacity) {
        this(capacity, null);
    }

    /** Room for {@code capacity} reads, to be done after {@code previous} (null: none). */
    public DataReads(int capacity, DataReads previous) {
        this.previous = previous;
        cids = new Cid[capacity];
        into = new ByteBuffer[capacity];
        outcomes = new Object[capacity];
        // The links to runs done are dropped here too, not only when a reader asks where the run
        // before left off: a reader that does each run on its own never asks (the gateway's, over
        // a CAR and the store), and the chain held every run of a file: a 1.3 GB file of 64-byte
        // leaves took `car serve` out of its 2 GiB heap after 500 MB.
        for (DataReads r = this; r != null; r = r.previous()) {
            // previous() drops the link when the run before is done, and stops the walk there
        }
    }

    /** Adds a read of {@code cid} into {@code buffer}; its index. */
    public int add(Cid cid, ByteBuffer buffer) {
        if (count == cids.length) {
            throw new IllegalStateException("full: " + count + " reads");
        }
        cids[count] = cid;
        into[count] = buffer;
        return count++;
    }

    public int size() {
        return count;
    }

    public boolean isFull() {
        return count == cids.length;
    }

    public Cid cid(int i) {
        return cids[i];
    }

    public ByteBuffer into(int i) {
        return into[i];
    }

    /** Read {@code i}: its bytes in {@code read}, flipped (null: the block is not held). */
    public void read(int i, ByteBuffer read) {
        outcomes[i] = read;
    }

    /** Read {@code i} failed (a hash that does not match, an I/O error). */
    public void failed(int i, Throwable cause) {
        outcomes[i] = new Failure(cause);
    }

    /** How a reader reads one block of a run: its bytes in its buffer (or another), null if not held. */
    @FunctionalInterface
    public interface ReadOne {
        ByteBuffer read(int i, Cid cid, ByteBuffer into) throws IOException;
    }

    /**
     * Does the run on this thread: each read not failed already (a reader may fail some before,
     * locating them) with {@code one}, in order; what it throws is that read's failure, rethrown
     * to the thread that takes it; what is left after a {@link #cancel()} fails as cancelled.
     * The caller completes {@link #done()} after it (once it has said where it {@link #endedAt}).
     */
    public void readEach(ReadOne one) {
        for (int i = 0; i < count; i++) {
            if (outcomes[i] instanceof Failure) {
                continue;
            }
            if (cancelled) {
                failed(i, new java.util.concurrent.CancellationException());
                continue;
            }
            try {
                read(i, one.read(i, cids[i], into[i]));
            } catch (Throwable e) {
                failed(i, e);
            }
        }
    }

    /**
     * The run to be done before this one, if it is not done yet; null once it is (the link is
     * dropped then, so a chain holds only the runs in flight).
     */
    public DataReads previous() {
        DataReads p = previous;
        if (p != null && p.done.isDone()) {
            endSource = p.endSource;
            endOffset = p.endOffset;
            previous = null;
            return null;
        }
        return p;
    }

    /** Runs this one still links to, in flight (for tests). */
    int linked() {
        int n = 0;
        for (DataReads r = previous; r != null; r = r.previous) {
            n++;
        }
        return n;
    }

    /** Where the reader left off: {@code offset} in {@code source} (the end of the last block found). */
    public void endedAt(Object source, long offset) {
        endSource = source;
        endOffset = offset;
    }

    /** The source the run before this one left off in ({@link #endedAt}); null if none or not done yet. */
    public Object startSource() {
        previous();
        return endSource;
    }

    /** Where in {@link #startSource()} the run before this one left off. */
    public long startOffset() {
        return endOffset;
    }

    /**
     * Runs {@code work} on {@code executor} after the runs before this one in its chain: a chain
     * is worked through in order, one run at a time, on one of the executor's threads while it has
     * runs queued (a run is too small to wake a thread for each).
     */
    public void inTurn(java.util.concurrent.Executor executor, Runnable work) {
        turn(executor).execute(work);
    }

    /** The chain's queue: the run before this one's (made there if it has none yet), or a new one. */
    private synchronized Workers.Lane turn(java.util.concurrent.Executor executor) {
        if (turn == null) {
            DataReads p = previous;
            turn = p != null ? p.turn(executor) : Workers.inOrder(executor);
        }
        return turn;
    }

    /** Completes when every read has its outcome. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Stops the work at the next read: what is left is reported as cancelled. */
    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * The outcome of read {@code i} once {@link #done()} has completed: the bytes (null: not
     * held); a failure is thrown as it was.
     */
    public ByteBuffer outcome(int i) throws IOException {
        Object o = outcomes[i];
        if (o instanceof Failure) {
            throw Futures.rethrow(((Failure) o).cause);
        }
        return (ByteBuffer) o;
    }

    private record Failure(Throwable cause) {
    }
}
