package dev.cartool.car;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import dev.cartool.block.Block;
import dev.cartool.block.BlockVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.io.Futures;
import dev.cartool.io.Workers;

/**
 * Verifies every section of a {@link CarFile} in file order with the reading spread over the
 * cores: the calling thread walks the section heads, and each worker reads the block it is to
 * hash by position into a heap buffer it keeps: a large block is read by the thread that hashes
 * it (from the page cache through {@link dev.cartool.io.Preads}' bounce buffer) and never
 * allocated. Read by one thread and hashed by another, as {@link ParallelVerifier} must for a
 * stream, the reading thread was the bound of verifying a file. (A direct buffer the kernel
 * copies into straight, hashed through the digest's 4 KiB chunks, was measured no faster.)
 *
 * <p>{@link #next()} returns each section once its block has been checked, in file order. Only
 * the blocks the caller asks for ({@code wantBytes}, e.g. those whose links a completeness
 * check follows) are kept and returned; for the others (a file's raw leaves) the section alone
 * says the block was there and matched. A problem is reported where it occurs: a bad block or
 * damaged section after good ones is thrown once the good ones have been returned.
 */
public final class SectionVerifier implements SectionCursor {

    /** Sections ahead of the caller: enough to keep the workers busy. */
    private static final int AHEAD_PER_THREAD = 16;
    /** Each worker's buffer for the blocks it hashes and drops; it grows to the largest block. */
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

    private final CarFile file;
    private final boolean ownsFile;
    private final boolean verify;
    private final CarFile.Scan scan;
    private final Predicate<Cid> wantBytes;
    private final Workers.Lane pool;
    private final int maxAhead;
    private final long maxKeptBytes;
    /** {@link Section} already checked, or the future of one. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private long keptBytes;
    private long sectionsEnd;
    private IOException scanError;
    private boolean eof;

    /**
     * @param file a file opened with any options: blocks are verified here whether or not it
     *     verifies its own reads; the caller closes it
     * @param threads worker threads; 0 verifies on the calling thread
     * @param wantBytes which blocks to return with their bytes
     * @param maxKeptBytes bytes of returned blocks read ahead of the caller, at most (plus one)
     */
    public SectionVerifier(CarFile file, int threads, Predicate<Cid> wantBytes, long maxKeptBytes) {
        this(file, threads, true, wantBytes, maxKeptBytes, false);
    }

    SectionVerifier(CarFile file, int threads, boolean verify, Predicate<Cid> wantBytes, long maxKeptBytes,
            boolean ownsFile) {
        this.file = file;
        this.ownsFile = ownsFile;
        this.verify = verify;
        this.scan = file.scan();
        this.wantBytes = wantBytes;
        this.pool = Workers.lane(threads);
        this.maxAhead = Math.max(4, threads * AHEAD_PER_THREAD);
        this.maxKeptBytes = maxKeptBytes;
        this.sectionsEnd = file.dataStart();
    }

    @Override
    public CarHeader header() {
        return file.header();
    }

    @Override
    public CarV2Header v2() {
        return file.v2();
    }

    @Override
    public long indexCodec() throws IOException {
        return file.indexCodec();
    }

    /**
     * Once {@link #next()} has returned null: where the sections ended, as a stream reader counts
     * it: the end of the payload, or just past the zero-length section (one byte) that ended it
     * early.
     */
    public long end() {
        return sectionsEnd < file.size() ? sectionsEnd + 1 : sectionsEnd;
    }

    /** The next verified section in file order, or null at the end. */
    @Override
    public Section next() throws IOException {
        fill();
        Object p = pending.poll();
        if (p == null) {
            if (scanError != null) {
                IOException e = scanError;
                scanError = null;
                eof = true;
                throw e;
            }
            return null;
        }
        if (p instanceof Future) {
            Futures.awaitHalfway((Future<?>) p, pending, o -> o instanceof Future ? (Future<?>) o : null);
        }
        @SuppressWarnings("unchecked")
        Section v = p instanceof Section ? (Section) p : Futures.await((Future<Section>) p);
        if (v.block() != null) {
            keptBytes -= v.block().length();
        }
        return v;
    }

    private void fill() {
        while (!eof && scanError == null && pending.size() < maxAhead
                && (keptBytes < maxKeptBytes || pending.isEmpty())) {
            SectionRef ref;
            try {
                ref = scan.next();
            } catch (IOException e) {
                scanError = e;
                return;
            }
            if (ref == null) {
                eof = true;
                return;
            }
            sectionsEnd = ref.end();
            boolean keep = wantBytes.test(ref.cid());
            if (keep) {
                keptBytes += ref.dataLength();
            }
            if (!verify && !keep) {
                pending.add(new Section(ref, null)); // nothing to read
                continue;
            }
            if (pool == null || ref.dataLength() < CarFileSource.INLINE_BELOW) {
                // A small block is in the scan's window already: hashing it here costs less than
                // a hand-over to another thread and back.
                try {
                    pending.add(check(ref, keep));
                } catch (IOException e) {
                    pending.add(CompletableFuture.failedFuture(e));
                }
                continue;
            }
            pending.add(pool.submit(() -> check(ref, keep)));
        }
    }

    private Section check(SectionRef ref, boolean keep) throws IOException {
        if (keep) {
            Block b = file.read(ref);
            if (verify && !file.verifying()) {
                BlockVerifier.verify(b);
            }
            return new Section(ref, b);
        }
        ByteBuffer buf = BUFFERS.get();
        if (buf.capacity() < ref.dataLength()) {
            // Lengths were checked against the section limit when the head was read.
            buf = ByteBuffer.allocate(Math.max(ref.dataLength(), 256 << 10));
            BUFFERS.set(buf);
        }
        file.readData(ref, buf);
        BlockVerifier.verify(ref.cid(), ref.offset(), buf);
        return new Section(ref, null);
    }

    /** Drops the work not started, and closes the file if this cursor opened it. */
    @Override
    public void close() throws IOException {
        if (pool != null) {
            pool.cancel();
        }
        if (ownsFile) {
            file.close();
        }
    }
}
