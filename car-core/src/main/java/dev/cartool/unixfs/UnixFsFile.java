package dev.cartool.unixfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import dev.cartool.block.Block;
import dev.cartool.block.DataReader;
import dev.cartool.block.DataReads;
import dev.cartool.block.FileRegions;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.PbLink;
import dev.cartool.io.BufferPool;
import dev.cartool.io.FileRegionSink;
import dev.cartool.io.Futures;
import dev.cartool.io.PlacingChannel;
import dev.cartool.io.Preads;
import dev.cartool.io.Text;

/**
 * The content of one UnixFS file as a read-only, seekable channel: the one way bytes come out of
 * a file DAG, whole or in part. A range is a {@link #position(long) seek} plus a
 * {@link #limit(long) limit}: subtrees outside it are skipped by their blocksizes, never loaded.
 *
 * <p>Leaves are fetched ahead of the reader within the {@link UnixFsReader}'s read-ahead budget,
 * so they are hashed in parallel when the source can (a CAR file, the store); when the source is
 * a {@link DataReader}, they are read into pooled direct buffers, checked there and written from
 * there. Every size in the DAG is checked against what its parent says as the walk reaches it.
 * Written to a {@link FileRegionSink} (a gateway's response), a leaf the source has already
 * checked ({@link FileRegions}) goes from its file to the sink unread.
 *
 * <p>Not thread-safe; use one at a time per {@link UnixFsReader} (they share its buffer pool).
 */
public final class UnixFsFile implements SeekableByteChannel {
    private final UnixFsReader reader;
    private final UnixFsNode root;
    private final long size;
    private long position;
    private long limit;
    private boolean open = true;

    private Plan plan;
    private final Deque<Pending> window = new ArrayDeque<>();
    private long inFlight;
    /** The piece being read from, positioned and limited to what this file's range takes. */
    private ByteBuffer current;
    private Pending currentPending;
    /** Or a checked leaf still in its file: where the range's part of it is, and what is left. */
    private FileRegions.Region region;
    private long regionAt;
    private long regionLeft;
    /** Pieces may come as file regions only while transferring to a {@link FileRegionSink}. */
    private boolean regionsWanted;
    /**
     * While transferring to a {@link PlacingChannel}: the channel, and where the next piece to be
     * started will land in it. A whole leaf is then read straight into its place.
     */
    private PlacingChannel placing;
    private long placeNext;
    /** Small leaves gathered to be read as one piece of work, not yet handed to the source. */
    private DataReads gathering;
    /** The last run made: the next is done after it, from where it left off. */
    private DataReads lastReads;
    /** Whether the range is long enough for runs: a small file's few leaves are read here, at once. */
    private boolean inRuns;

    UnixFsFile(UnixFsReader reader, UnixFsNode root) {
        this.reader = reader;
        this.root = root;
        this.size = root.fileSize();
        this.limit = size;
    }

    /** The file's root node. */
    public UnixFsNode node() {
        return root;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long position() {
        return position;
    }

    /** Moves to {@code newPosition} (at most the limit); fetches ahead begin again from there. */
    @Override
    public UnixFsFile position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        if (newPosition != position || plan == null) {
            reset();
            position = Math.min(newPosition, limit);
        }
        return this;
    }

    /** Where reading stops: the end of a range; the file's size unless set. */
    public long limit() {
        return limit;
    }

    /** Stops reading at {@code newLimit} (clamped to the size; the position follows if past it). */
    public UnixFsFile limit(long newLimit) {
        if (newLimit < 0) {
            throw new IllegalArgumentException("negative limit " + newLimit);
        }
        long l = Math.min(newLimit, size);
        if (l != limit) {
            reset();
            limit = l;
            position = Math.min(position, limit);
        }
        return this;
    }

    /** Bytes left between the position and the limit. */
    public long remaining() {
        return limit - position;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= limit) {
            return -1;
        }
        int total = 0;
        while (dst.hasRemaining() && position < limit) {
            if (regionLeft > 0) {
                int n = readRegion(dst);
                position += n;
                total += n;
                continue;
            }
            if (current == null || !current.hasRemaining()) {
                if (!advance()) {
                    break;
                }
                continue;
            }
            int n = Math.min(dst.remaining(), current.remaining());
            ByteBuffer slice = current.duplicate();
            slice.limit(slice.position() + n);
            dst.put(slice);
            current.position(current.position() + n);
            position += n;
            total += n;
        }
        return total == 0 && position >= limit ? -1 : total;
    }

    /**
     * Reads exactly {@code length} bytes from the position (they must lie before the limit).
     * After a seek, only the blocks that hold them are fetched: nothing is read ahead, so random
     * reads of headers cost what they read.
     */
    public byte[] readNBytes(int length) throws IOException {
        ensureOpen();
        if (length < 0 || length > remaining()) {
            throw new IllegalArgumentException(length + " bytes asked at " + position + " of a range ending at " + limit);
        }
        boolean bounded = plan == null;
        if (bounded) {
            plan = new Plan(position, position + length);
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (read(b) <= 0) {
                throw new UnixFsException(root.cid(), "file " + root.cid() + " ended at " + Text.n(position)
                        + " of " + Text.n(size) + " bytes");
            }
        }
        if (bounded) {
            reset(); // the next read plans from the new position to the limit
        }
        return b.array();
    }

    /**
     * Writes everything from the position to the limit to {@code out}, whole pieces at a time
     * (from direct buffers when the source offers them). {@code progress} receives byte counts
     * as they are written.
     *
     * @return the bytes written: the range's length, always
     */
    public long transferTo(WritableByteChannel out, LongConsumer progress) throws IOException {
        ensureOpen();
        regionsWanted = out instanceof FileRegionSink;
        if (out instanceof PlacingChannel) {
            reset(); // pieces fetched before were read into buffers of their own
            placing = (PlacingChannel) out;
            placeNext = placing.position();
        }
        try {
            return transfer(out, progress);
        } finally {
            regionsWanted = false;
            placing = null;
        }
    }

    private long transfer(WritableByteChannel out, LongConsumer progress) throws IOException {
        long start = position;
        long expected = limit - position;
        ByteBuffer gather = null;
        while (position < limit) {
            if (regionLeft > 0) {
                drain(gather, out, progress);
                long n = regionLeft;
                if (out instanceof FileRegionSink) {
                    ((FileRegionSink) out).writeFrom(region.file(), regionAt, n);
                } else {
                    for (long done = 0; done < n; ) {
                        long k = region.file().transferTo(regionAt + done, n - done, out);
                        if (k <= 0) {
                            throw regionEnded();
                        }
                        done += k;
                    }
                }
                regionAt += n;
                regionLeft = 0;
                position += n;
                progress.accept(n);
                continue;
            }
            if (current == null || !current.hasRemaining()) {
                if (!advance()) {
                    break;
                }
                continue;
            }
            int n = current.remaining();
            if (n < GATHER_BELOW && limit - position > n) {
                // Small pieces with more to come go out together: one write per 64-byte leaf
                // was 4 million system calls for a file of 4 million blocks.
                if (gather == null) {
                    gather = ByteBuffer.allocate((int) Math.min(GATHER, limit - position));
                }
                if (gather.remaining() < n) {
                    drain(gather, out, progress);
                }
                gather.put(current);
                position += n;
                continue;
            }
            drain(gather, out, progress);
            if (currentPending != null && currentPending.placed) {
                placing.filled(n); // read into its place already
                current.position(current.limit());
            } else {
                while (current.hasRemaining()) {
                    out.write(current);
                }
            }
            position += n;
            progress.accept(n);
        }
        drain(gather, out, progress);
        long written = position - start;
        if (written != expected) {
            throw new UnixFsException(root.cid(), "file " + root.cid() + " yielded " + Text.n(written)
                    + " bytes where its root says " + Text.n(expected));
        }
        return written;
    }

    /** Reads from the current region into {@code dst}: as much as both hold. */
    private int readRegion(ByteBuffer dst) throws IOException {
        int n = (int) Math.min(dst.remaining(), regionLeft);
        ByteBuffer into = dst.slice();
        into.limit(n);
        if (!Preads.readFully(region.file(), into, regionAt)) {
            throw regionEnded();
        }
        dst.position(dst.position() + n);
        regionAt += n;
        regionLeft -= n;
        return n;
    }

    private UnixFsException regionEnded() {
        return new UnixFsException(root.cid(), "file " + root.cid() + ": the file holding a leaf ended at "
                + Text.n(regionAt) + ", inside it");
    }

    /**
     * Small leaves read as one piece of work at most (see {@link DataReads}); a run is also
     * handed over before an interior node is loaded.
     */
    private static final int READS_TOGETHER = 256;
    /**
     * Ranges shorter than this read their small leaves on the calling thread, each at once: a
     * small file answered by a gateway's selector thread waits for no other thread.
     */
    private static final long RUNS_FROM = 1 << 20;

    /** Pieces smaller than this are gathered into writes of up to {@link #GATHER} bytes. */
    private static final int GATHER_BELOW = 16 << 10;
    private static final int GATHER = 256 << 10;

    private static void drain(ByteBuffer gather, WritableByteChannel out, LongConsumer progress) throws IOException {
        if (gather == null || gather.position() == 0) {
            return;
        }
        gather.flip();
        int n = gather.remaining();
        while (gather.hasRemaining()) {
            out.write(gather);
        }
        gather.clear();
        progress.accept(n);
    }

    /** As {@link #transferTo(WritableByteChannel, LongConsumer)}, to a stream. */
    public long transferTo(OutputStream out, LongConsumer progress) throws IOException {
        return transferTo(Channels.newChannel(out), progress);
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Drops what was fetched ahead; pooled buffers still being filled are never reused. */
    @Override
    public void close() {
        if (open) {
            reset();
            open = false;
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    private void reset() {
        releaseCurrent();
        for (Pending pd : window) {
            if (pd.data != null) {
                pd.data.cancel(false);
            }
            if (pd.reads != null) {
                pd.reads.cancel();
            }
        }
        window.clear();
        while (spares > 0) {
            reader.release(spare[--spares]);
            spare[spares] = null;
        }
        inFlight = 0;
        plan = null;
        gathering = null;
        lastReads = null;
    }

    private void releaseCurrent() {
        if (currentPending != null && currentPending.pooled != null) {
            release(currentPending.pooled);
        }
        currentPending = null;
        current = null;
        region = null;
        regionLeft = 0;
    }

    /**
     * Small leaves' buffers this file has given back, taken again before the reader's pool: a
     * file of 10 million 64-byte leaves took and gave a pooled buffer each, under the pool's
     * lock (a sixth of the reading thread's time). The file is read by one thread at a time.
     */
    private final ByteBuffer[] spare = new ByteBuffer[16];
    private int spares;

    private ByteBuffer acquire(long length) {
        if (spares > 0 && spare[spares - 1].capacity() == BufferPool.sizeClass(length)) {
            ByteBuffer b = spare[--spares];
            spare[spares] = null;
            return b.clear().limit((int) length);
        }
        return reader.acquire(length);
    }

    /** Gives back a buffer whose read is done (nothing writes it any more). */
    private void release(ByteBuffer b) {
        if (b.capacity() <= GATHER_BELOW && spares < spare.length) {
            spare[spares++] = b;
        } else {
            reader.release(b);
        }
    }

    /** Hands the small leaves gathered so far, if any, to the source as one run. */
    private void handOver() {
        if (gathering != null) {
            ((DataReader) reader.source()).readData(gathering);
            gathering = null;
        }
    }

    /** Moves to the next piece in the range, fetching ahead; false at the end of the DAG. */
    private boolean advance() throws IOException {
        releaseCurrent();
        if (plan == null) {
            plan = new Plan(position, limit);
            inRuns = limit - position >= RUNS_FROM;
        }
        DataReader direct = reader.source() instanceof DataReader ? (DataReader) reader.source() : null;
        FileRegions regions = regionsWanted && reader.source() instanceof FileRegions ? (FileRegions) reader.source() : null;
        while ((inFlight < reader.windowBytes() && window.size() < UnixFsReader.MAX_PENDING) || window.isEmpty()) {
            Piece p = plan.next();
            if (p == null) {
                handOver(); // the last of the file's small leaves
                break;
            }
            Pending started = start(p, direct, regions);
            window.add(started);
            inFlight += started.cost();
        }
        Pending pd = window.poll();
        if (pd == null) {
            return false;
        }
        inFlight -= pd.cost();
        if (pd.region != null) {
            region = pd.region;
            regionAt = region.position() + pd.piece.skip;
            regionLeft = pd.piece.take;
            return true;
        }
        currentPending = pd;
        ByteBuffer data;
        if (pd.reads != null) {
            if (pd.reads == gathering) {
                handOver(); // waited on now: handed over however few it holds
            }
            Futures.await(pd.reads.done());
            data = pd.reads.outcome(pd.index);
        } else {
            data = Futures.await(pd.data);
        }
        if (data == null) {
            throw new MissingBlockException(pd.piece.cid, "block " + pd.piece.cid + " (part of file "
                    + root.cid() + ") is missing");
        }
        if (data.remaining() != pd.piece.length) {
            throw new UnixFsException(pd.piece.cid, "leaf " + pd.piece.cid + " of file " + root.cid() + " has "
                    + Text.n(data.remaining()) + " bytes where its parent says " + Text.n(pd.piece.length));
        }
        pd.placed = pd.slot != null && data == pd.slot;
        ByteBuffer view = data.duplicate();
        view.position(view.position() + (int) pd.piece.skip);
        view.limit(view.position() + (int) pd.piece.take);
        current = view;
        return true;
    }

    private Pending start(Piece p, DataReader direct, FileRegions regions) throws IOException {
        if (p.length > Block.MAX_LENGTH) {
            throw new UnixFsException(p.cid, "a leaf of " + Text.n(p.length) + " bytes is claimed for " + p.cid
                    + ": more than any block may hold");
        }
        long landsAt = placeNext;
        placeNext += p.take;
        if (p.inline != null) {
            return new Pending(p, CompletableFuture.completedFuture(p.inline.duplicate()), null);
        }
        if (regions != null && p.length >= GATHER_BELOW) {
            // Checked before (a gateway serving the file again): sent from its file, unread.
            FileRegions.Region r = regions.checkedRegion(p.cid);
            if (r != null && r.length() == p.length) {
                return new Pending(p, r);
            }
        }
        reader.aboutToRead(p.cid);
        if (direct != null) {
            ByteBuffer slot = placing != null && p.skip == 0 && p.take == p.length && p.length >= GATHER_BELOW
                    ? placing.placeAt(landsAt, (int) p.length) : null;
            if (slot != null) {
                Pending pd = new Pending(p, direct.readData(p.cid, slot), null);
                pd.slot = slot;
                return pd;
            }
            ByteBuffer buf = acquire(p.length);
            if (p.length < GATHER_BELOW && inRuns) {
                // Read with the next few hundred small leaves, as one piece of work on the
                // source's threads while this one walks on (10 million 64-byte leaves: one
                // hand-off each would cost more than the reads).
                if (gathering == null) {
                    gathering = new DataReads(READS_TOGETHER, lastReads);
                    lastReads = gathering;
                }
                Pending pd = new Pending(p, null, buf);
                pd.reads = gathering;
                pd.index = gathering.add(p.cid, buf);
                if (gathering.isFull()) {
                    handOver();
                }
                return pd;
            }
            return new Pending(p, direct.readData(p.cid, buf), buf);
        }
        return new Pending(p, reader.source().fetch(p.cid).thenApply(b -> b == null ? null : b.dataBuffer()), null);
    }

    /**
     * One piece of content, in order: bytes held in a node ({@code inline}) or a raw leaf to
     * fetch ({@code cid}), {@code length} bytes in all, of which the range takes {@code take}
     * from {@code skip}.
     */
    private record Piece(ByteBuffer inline, Cid cid, long length, long skip, long take) {
    }

    private static final class Pending {
        final Piece piece;
        final CompletableFuture<ByteBuffer> data;
        final ByteBuffer pooled;
        /** Or, for a leaf checked before, where it lies in its file: nothing is read. */
        final FileRegions.Region region;
        /** The place in the output it was read into ({@link PlacingChannel#placeAt}), or null. */
        ByteBuffer slot;
        /** Whether its bytes are in that place (the source read into the buffer it was given). */
        boolean placed;
        /** Or, for a small leaf, the run it is read with and its index there ({@code data} is null). */
        DataReads reads;
        int index;

        Pending(Piece piece, CompletableFuture<ByteBuffer> data, ByteBuffer pooled) {
            this.piece = piece;
            this.data = data;
            this.pooled = pooled;
            this.region = null;
        }

        Pending(Piece piece, FileRegions.Region region) {
            this.piece = piece;
            this.data = null;
            this.pooled = null;
            this.region = region;
        }

        /** What it holds against the read-ahead budget: its buffer, or its bytes (a region: none). */
        long cost() {
            return region != null ? 64 : pooled != null ? pooled.capacity() : Math.max(piece.length, 64);
        }
    }

    /**
     * Walks the file DAG depth-first and yields the pieces that overlap {@code [from, to)} in
     * order. Interior DAG-PB nodes (small) are loaded as the walk reaches them; raw leaves are left
     * for the caller to fetch ahead. A subtree wholly outside the range is skipped by its
     * blocksize without being loaded.
     */
    private final class Plan {
        private final long from;
        private final long to;
        private final boolean whole;
        private final Deque<Frame> stack = new ArrayDeque<>();
        private Piece pendingRoot;

        Plan(long from, long to) throws IOException {
            this.from = from;
            this.to = to;
            // The whole file visits every block, empty leaves included, so that reading a file
            // through proves every block of it; a part visits only what overlaps it.
            this.whole = from == 0 && to == size;
            if (!whole && from >= to) {
                return;
            }
            if (root.isRawLeaf()) {
                // Its bytes were read (and checked) to know it: not read again.
                pendingRoot = piece(root.block().dataBuffer(), null, root.fileSize(), 0);
            } else {
                push(root, root.fileSize(), 0);
            }
        }

        private Piece piece(ByteBuffer inline, Cid cid, long length, long base) {
            long skip = Math.max(0, from - base);
            long take = Math.min(to, base + length) - (base + skip);
            return new Piece(inline, cid, length, skip, take);
        }

        private void push(UnixFsNode node, long expected, long base) throws UnixFsException {
            UnixFsReader.checkFileNode(node, expected);
            if (stack.size() > 1024) {
                throw new UnixFsException(node.cid(), "file DAG deeper than 1,024 levels at " + node.cid());
            }
            stack.push(new Frame(node, base));
        }

        Piece next() throws IOException {
            if (pendingRoot != null) {
                Piece p = pendingRoot;
                pendingRoot = null;
                return p;
            }
            walk:
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                if (!f.dataDone) {
                    f.dataDone = true;
                    int own = f.node.data().dataLength();
                    f.pos = f.base + own;
                    if (own > 0 && (whole || f.base < to && f.base + own > from)) {
                        return piece(ByteBuffer.wrap(f.node.data().data()), null, own, f.base);
                    }
                }
                List<PbLink> links = f.node.links();
                while (f.next < links.size()) {
                    int i = f.next++;
                    long sz = f.node.data().blocksize(i);
                    long base = f.pos;
                    f.pos += sz;
                    if (!whole && base >= to) {
                        f.next = links.size(); // nothing further right is in the range
                        break;
                    }
                    if (!whole && base + sz <= from) {
                        continue; // wholly before the range: skipped unread
                    }
                    Cid child = links.get(i).hash();
                    if (child.codec() == Multicodec.RAW) {
                        return piece(null, child, sz, base);
                    }
                    // The small leaves gathered so far are handed over first: a source that
                    // finds blocks where the last one ended (a CAR without an index, in DFS
                    // order) then meets this node just after them, not ahead of them.
                    handOver();
                    UnixFsNode c = reader.load(child);
                    if (c.isRawLeaf()) {
                        return piece(null, child, sz, base);
                    }
                    push(c, sz, base);
                    continue walk;
                }
                stack.pop();
            }
            return null;
        }
    }

    private static final class Frame {
        final UnixFsNode node;
        final long base;
        long pos;
        boolean dataDone;
        int next;

        Frame(UnixFsNode node, long base) {
            this.node = node;
            this.base = base;
        }
    }
}
