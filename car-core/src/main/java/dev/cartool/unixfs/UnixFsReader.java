package dev.cartool.unixfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.DataReader;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.dagpb.PbLink;
import dev.cartool.io.Futures;
import dev.cartool.io.Text;

/**
 * Reads UnixFS over any {@link BlockSource}: path resolution, directory listings (plain and
 * HAMT-sharded), file content streamed in order with every size checked, and byte ranges.
 */
public final class UnixFsReader {
    /** Read-ahead budget of file content: leaves fetched (and hashed) ahead of the writer. */
    public static final long DEFAULT_WINDOW_BYTES = 16L << 20;

    private final BlockSource source;
    private final long windowBytes;

    public UnixFsReader(BlockSource source) {
        this(source, DEFAULT_WINDOW_BYTES);
    }

    public UnixFsReader(BlockSource source, long windowBytes) {
        this.source = source;
        this.windowBytes = windowBytes;
    }

    public BlockSource source() {
        return source;
    }

    /**
     * Loads and decodes one node.
     *
     * @throws MissingBlockException if the source does not have it
     */
    public UnixFsNode load(Cid cid) throws IOException {
        Block b = source.get(cid);
        if (b == null) {
            throw new MissingBlockException(cid);
        }
        return UnixFsNode.of(b);
    }

    /**
     * Follows a path such as {@code "dir/file"} from {@code root} (empty segments are skipped;
     * {@code "."} and {@code ".."} are refused: a DAG has no parent links).
     */
    public UnixFsNode resolve(Cid root, String path) throws IOException {
        return resolve(root, dev.cartool.cid.IpfsPath.segments(path));
    }

    /** Follows {@code segments} from {@code root} through directories (plain or HAMT). */
    public UnixFsNode resolve(Cid root, List<String> segments) throws IOException {
        return resolve(root, segments, null);
    }

    /**
     * As {@link #resolve(Cid, List)}, telling {@code passed} (if not null) every block the walk
     * went through before the target, in order: the root, each directory, each HAMT shard. With
     * the target's own blocks, they are what a client needs to verify the path.
     */
    public UnixFsNode resolve(Cid root, List<String> segments, java.util.function.Consumer<Cid> passed)
            throws IOException {
        UnixFsNode node = load(root);
        StringBuilder path = new StringBuilder();
        for (String seg : segments) {
            if (node.kind() != UnixFsNode.Kind.DIRECTORY) {
                throw new PathNotFoundException(node.cid(), "'" + path + "' is a " + node.kind().name().toLowerCase(Locale.ROOT)
                        + ", not a directory: cannot resolve '" + seg + "'");
            }
            if (passed != null) {
                passed.accept(node.cid());
            }
            Cid next = lookup(node, seg, passed);
            if (next == null) {
                throw new PathNotFoundException(node.cid(), path.toString(), seg);
            }
            path.append('/').append(seg);
            node = load(next);
        }
        return node;
    }

    /** Receives directory entries as they are found. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(DirEntry e) throws IOException;
    }

    /** Told about a HAMT sub-shard whose block is missing: its entries cannot be known. */
    @FunctionalInterface
    public interface MissingShardHandler {
        void missingShard(String slot, Cid shard) throws IOException;
    }

    /** Every entry of a directory, in link order (a HAMT is walked shard by shard). */
    public void forEachEntry(UnixFsNode dir, EntryVisitor visitor) throws IOException {
        forEachEntry(dir, visitor, null);
    }

    /**
     * Every entry of a directory; a missing HAMT sub-shard goes to {@code onMissingShard} and
     * the walk continues (null: it fails with {@link MissingBlockException}).
     */
    public void forEachEntry(UnixFsNode dir, EntryVisitor visitor, MissingShardHandler onMissingShard)
            throws IOException {
        if (dir.isHamt()) {
            walkShard(dir, visitor, onMissingShard, new HashSet<>(), 0);
            return;
        }
        requireDirectory(dir);
        for (PbLink link : dir.links()) {
            if (link.name() == null) {
                throw new UnixFsException(dir.cid(), "directory " + dir.cid() + " has a link without a name");
            }
            visitor.entry(new DirEntry(link.name(), link.hash(), link.tsize() == null ? -1 : link.tsize()));
        }
    }

    /** All entries of a directory, in a list (for small directories; prefer the visitor). */
    public List<DirEntry> entries(UnixFsNode dir) throws IOException {
        List<DirEntry> out = new ArrayList<>();
        forEachEntry(dir, out::add);
        return out;
    }

    private void walkShard(UnixFsNode shard, EntryVisitor visitor, MissingShardHandler onMissing,
            Set<Multihash> ancestors, int depth) throws IOException {
        Hamt hamt = Hamt.of(shard);
        int pad = hamt.prefixLength();
        if (!ancestors.add(shard.cid().multihash())) {
            throw new UnixFsException(shard.cid(), "HAMT shard " + shard.cid() + " contains itself");
        }
        if (depth > 64) {
            throw new UnixFsException(shard.cid(), "HAMT deeper than its 64-bit hash allows at " + shard.cid());
        }
        for (PbLink link : shard.links()) {
            String name = link.name();
            if (!hamt.hasSlotPrefix(name)) {
                throw new UnixFsException(shard.cid(), "HAMT shard " + shard.cid() + " has a link named '" + name
                        + "' without its " + pad + "-digit slot prefix");
            }
            if (hamt.isShardLink(link)) {
                UnixFsNode child;
                try {
                    child = load(link.hash());
                } catch (MissingBlockException e) {
                    if (onMissing == null) {
                        throw e;
                    }
                    onMissing.missingShard(name, link.hash());
                    continue;
                }
                if (!child.isHamt()) {
                    throw new UnixFsException(child.cid(), "HAMT slot " + name + " of " + shard.cid()
                            + " links to a " + child.kind().name().toLowerCase(Locale.ROOT) + ", not a shard");
                }
                walkShard(child, visitor, onMissing, ancestors, depth + 1);
            } else {
                visitor.entry(new DirEntry(name.substring(pad), link.hash(), link.tsize() == null ? -1 : link.tsize()));
            }
        }
        ancestors.remove(shard.cid().multihash());
    }

    /** The CID an entry named {@code name} links to, or null; a HAMT is searched by hash. */
    public Cid lookup(UnixFsNode dir, String name) throws IOException {
        return lookup(dir, name, null);
    }

    /**
     * As {@link #lookup(UnixFsNode, String)}, telling {@code shards} (if not null) the CID of each
     * HAMT sub-shard passed on the way: the blocks a client needs to check the step.
     */
    public Cid lookup(UnixFsNode dir, String name, java.util.function.Consumer<Cid> shards) throws IOException {
        if (!dir.isHamt()) {
            requireDirectory(dir);
            for (PbLink link : dir.links()) {
                if (name.equals(link.name())) {
                    return link.hash();
                }
            }
            return null;
        }
        long hash = Hamt.hash(name);
        UnixFsNode shard = dir;
        for (int depth = 0;; depth++) {
            Hamt hamt = Hamt.of(shard);
            if (depth >= hamt.maxDepth()) {
                throw new UnixFsException(shard.cid(), "HAMT deeper than its 64-bit hash allows at " + shard.cid());
            }
            String prefix = hamt.prefix(hamt.slot(hash, depth));
            PbLink found = null;
            for (PbLink link : shard.links()) {
                if (link.name() != null && link.name().startsWith(prefix)) {
                    found = link;
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            if (!hamt.isShardLink(found)) {
                return found.name().substring(prefix.length()).equals(name) ? found.hash() : null;
            }
            UnixFsNode child = load(found.hash());
            if (!child.isHamt()) {
                throw new UnixFsException(child.cid(), "HAMT slot " + prefix + " of " + shard.cid() + " is not a shard");
            }
            if (shards != null) {
                shards.accept(child.cid());
            }
            shard = child;
        }
    }

    private static void requireDirectory(UnixFsNode dir) throws UnixFsException {
        if (dir.kind() != UnixFsNode.Kind.DIRECTORY) {
            throw new UnixFsException(dir.cid(), dir.cid() + " is a " + dir.kind().name().toLowerCase(Locale.ROOT)
                    + ", not a directory");
        }
    }

    /**
     * Writes a file's content to {@code out} in order, fetching leaves ahead so they are hashed
     * in parallel, and checking every size against the DAG. {@code progress} receives byte counts
     * as they are written.
     *
     * @return the bytes written, always the file's size
     */
    public long transferTo(UnixFsNode file, OutputStream out, LongConsumer progress) throws IOException {
        return transferTo(file, java.nio.channels.Channels.newChannel(out), progress);
    }

    /**
     * As {@link #transferTo(UnixFsNode, OutputStream, LongConsumer)}, to a channel. When the source
     * is a {@link DataReader} (a CAR file), leaves are read into pooled direct buffers, hashed
     * there and written from there: the data is never copied into the Java heap.
     */
    public long transferTo(UnixFsNode file, WritableByteChannel out, LongConsumer progress) throws IOException {
        FilePlan plan = new FilePlan(file);
        DataReader direct = source instanceof DataReader ? (DataReader) source : null;
        Deque<Pending> window = new ArrayDeque<>();
        long inFlight = 0;
        long written = 0;
        try {
            while (true) {
                while ((inFlight < windowBytes && window.size() < MAX_PENDING) || window.isEmpty()) {
                    Piece p = plan.next();
                    if (p == null) {
                        break;
                    }
                    Pending started = start(p, direct);
                    window.add(started);
                    inFlight += started.cost();
                }
                Pending pd = window.poll();
                if (pd == null) {
                    break;
                }
                inFlight -= pd.cost();
                ByteBuffer data = Futures.await(pd.data);
                if (data == null) {
                    throw new MissingBlockException(pd.piece.cid, "block " + pd.piece.cid + " (part of file "
                            + file.cid() + ") is missing");
                }
                if (data.remaining() != pd.piece.length) {
                    throw new UnixFsException(pd.piece.cid, "leaf " + pd.piece.cid + " of file " + file.cid() + " has "
                            + Text.n(data.remaining()) + " bytes where its parent says "
                            + Text.n(pd.piece.length));
                }
                while (data.hasRemaining()) {
                    out.write(data);
                }
                if (pd.pooled != null) {
                    release(pd.pooled);
                }
                written += pd.piece.length;
                progress.accept(pd.piece.length);
            }
        } finally {
            for (Pending pd : window) {
                pd.data.cancel(false); // a buffer still being filled is dropped, never reused
            }
        }
        if (written != file.fileSize()) {
            throw new UnixFsException(file.cid(), "file " + file.cid() + " yielded " + Text.n(written)
                    + " bytes where its root says " + Text.n(file.fileSize()));
        }
        return written;
    }

    /**
     * Leaves fetched ahead at most: with small chunks ({@code --chunker=size-1024}) the byte
     * window alone would let tens of thousands of reads be pending at once.
     */
    static final int MAX_PENDING = 4096;
    /** The smallest buffer handed out: smaller leaves share its size class. */
    private static final int MIN_BUFFER = 1024;

    /**
     * Direct buffers for leaves, reused across the files of one reader (one thread at a time),
     * kept by size class (powers of two) so that a buffer is never more than twice its leaf:
     * the read-ahead budget counts buffer capacity, so memory stays within it whatever the
     * chunk size. At most one window's worth is kept.
     */
    private final java.util.Map<Integer, Deque<ByteBuffer>> buffers = new java.util.HashMap<>();
    private long pooledBytes;

    static int sizeClass(long length) {
        return length <= MIN_BUFFER ? MIN_BUFFER : (int) Long.highestOneBit(length - 1) << 1;
    }

    private ByteBuffer acquire(long length) {
        int cls = sizeClass(length);
        Deque<ByteBuffer> free = buffers.get(cls);
        if (free != null && !free.isEmpty()) {
            pooledBytes -= cls;
            return free.pop();
        }
        return ByteBuffer.allocateDirect(cls);
    }

    private void release(ByteBuffer b) {
        if (pooledBytes + b.capacity() <= windowBytes) {
            buffers.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).push(b);
            pooledBytes += b.capacity();
        }
    }

    private Pending start(Piece p, DataReader direct) throws UnixFsException {
        if (p.length > dev.cartool.car.CarReaderOptions.DEFAULT_MAX_SECTION_LENGTH) {
            throw new UnixFsException(p.cid, "a leaf of " + Text.n(p.length) + " bytes is claimed for " + p.cid
                    + ": more than any block may hold");
        }
        if (p.inline != null) {
            return new Pending(p, CompletableFuture.completedFuture(ByteBuffer.wrap(p.inline)), null);
        }
        if (direct != null) {
            ByteBuffer buf = acquire(p.length);
            return new Pending(p, direct.readData(p.cid, buf), buf);
        }
        return new Pending(p, source.fetch(p.cid).thenApply(b -> b == null ? null : b.dataBuffer()), null);
    }

    /**
     * Writes {@code length} bytes of a file from {@code offset} to {@code out}, loading only the
     * blocks that hold them (subtrees outside the range are skipped by their blocksizes).
     */
    public void writeRange(UnixFsNode file, long offset, long length, OutputStream out) throws IOException {
        long size = file.fileSize();
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a file of " + size + " bytes");
        }
        streamRange(file, offset, length, out);
    }

    private void streamRange(UnixFsNode node, long offset, long length, OutputStream out) throws IOException {
        if (length == 0) {
            return;
        }
        if (node.isRawLeaf()) {
            java.nio.ByteBuffer b = node.block().dataBuffer();
            byte[] chunk = new byte[(int) length];
            b.position((int) offset).get(chunk);
            out.write(chunk);
            return;
        }
        checkFileNode(node, node.fileSize());
        byte[] own = node.data().data();
        if (offset < own.length) {
            int n = (int) Math.min(length, own.length - offset);
            out.write(own, (int) offset, n);
            offset += n;
            length -= n;
        }
        long pos = own.length;
        List<PbLink> links = node.links();
        for (int i = 0; i < links.size() && length > 0; i++) {
            long sz = node.data().blocksize(i);
            if (offset < pos + sz) {
                long within = offset - pos;
                long n = Math.min(length, sz - within);
                UnixFsNode child = load(links.get(i).hash());
                if (child.fileSize() != sz) {
                    throw sizeMismatch(node, child, sz);
                }
                streamRange(child, within, n, out);
                offset += n;
                length -= n;
            }
            pos += sz;
        }
    }

    /** Reads {@code length} bytes of a file from {@code offset}, skipping subtrees before it. */
    public byte[] readRange(UnixFsNode file, long offset, int length) throws IOException {
        long size = file.fileSize();
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a file of " + size + " bytes");
        }
        byte[] out = new byte[length];
        copyRange(file, offset, out, 0, length);
        return out;
    }

    private void copyRange(UnixFsNode node, long offset, byte[] out, int outPos, int length) throws IOException {
        if (length == 0) {
            return;
        }
        if (node.isRawLeaf()) {
            node.block().dataBuffer().position((int) offset).get(out, outPos, length);
            return;
        }
        checkFileNode(node, node.fileSize());
        byte[] own = node.data().data();
        long pos = 0;
        if (offset < own.length) {
            int n = (int) Math.min(length, own.length - offset);
            System.arraycopy(own, (int) offset, out, outPos, n);
            outPos += n;
            offset += n;
            length -= n;
        }
        pos = own.length;
        List<PbLink> links = node.links();
        for (int i = 0; i < links.size() && length > 0; i++) {
            long sz = node.data().blocksize(i);
            if (offset < pos + sz) {
                long within = offset - pos;
                int n = (int) Math.min(length, sz - within);
                UnixFsNode child = load(links.get(i).hash());
                if (child.fileSize() != sz) {
                    throw sizeMismatch(node, child, sz);
                }
                copyRange(child, within, out, outPos, n);
                outPos += n;
                offset += n;
                length -= n;
            }
            pos += sz;
        }
    }

    private static UnixFsException sizeMismatch(UnixFsNode parent, UnixFsNode child, long expected) {
        return new UnixFsException(child.cid(), "node " + child.cid() + " holds " + Text.n(child.fileSize())
                + " bytes where its parent " + parent.cid() + " says " + Text.n(expected));
    }

    /** The consistency rules of a file node: links and blocksizes pair up and sum to filesize. */
    static void checkFileNode(UnixFsNode node, long expected) throws UnixFsException {
        if (node.isRawLeaf()) {
            return;
        }
        UnixFsData d = node.data();
        if (d.type() != UnixFsData.Type.FILE && d.type() != UnixFsData.Type.RAW) {
            throw new UnixFsException(node.cid(), node.cid() + " is a " + d.type().name().toLowerCase(Locale.ROOT)
                    + " where file content was expected");
        }
        if (node.links().size() != d.blocksizeCount()) {
            throw new UnixFsException(node.cid(), "file node " + node.cid() + " has " + node.links().size()
                    + " links but " + d.blocksizeCount() + " blocksizes");
        }
        long sum = d.dataLength();
        for (int i = 0; i < d.blocksizeCount(); i++) {
            sum += d.blocksize(i);
            if (sum < 0) {
                throw new UnixFsException(node.cid(), "file node " + node.cid() + " has blocksizes that overflow");
            }
        }
        if (d.filesize() != null && d.filesize() != sum) {
            throw new UnixFsException(node.cid(), "file node " + node.cid() + " says filesize "
                    + Text.n(d.filesize()) + " but its data and blocksizes add up to " + Text.n(sum));
        }
        if (sum != expected) {
            throw new UnixFsException(node.cid(), "file node " + node.cid() + " holds " + Text.n(sum)
                    + " bytes where its parent says " + Text.n(expected));
        }
    }

    /** One piece of file content, in order: bytes held in a node, or a raw leaf to fetch. */
    private static final class Piece {
        final byte[] inline;
        final Cid cid;
        final long length;

        Piece(byte[] inline, Cid cid, long length) {
            this.inline = inline;
            this.cid = cid;
            this.length = length;
        }
    }

    private static final class Pending {
        final Piece piece;
        final CompletableFuture<ByteBuffer> data;
        final ByteBuffer pooled;

        Pending(Piece piece, CompletableFuture<ByteBuffer> data, ByteBuffer pooled) {
            this.piece = piece;
            this.data = data;
            this.pooled = pooled;
        }

        /** What it holds against the read-ahead budget: its buffer, or its bytes. */
        long cost() {
            return pooled != null ? pooled.capacity() : Math.max(piece.length, 64);
        }
    }

    /**
     * Walks a file DAG depth-first and yields its content pieces in order. Interior DAG-PB
     * nodes (small) are loaded as the walk reaches them; raw leaves are left for the caller to
     * fetch ahead.
     */
    private final class FilePlan {
        private final Deque<Frame> stack = new ArrayDeque<>();
        private Piece pendingRoot;

        FilePlan(UnixFsNode root) throws IOException {
            if (root.isRawLeaf()) {
                pendingRoot = new Piece(null, root.cid(), root.fileSize());
            } else {
                push(root, root.fileSize());
            }
        }

        private void push(UnixFsNode node, long expected) throws UnixFsException {
            checkFileNode(node, expected);
            if (stack.size() > 1024) {
                throw new UnixFsException(node.cid(), "file DAG deeper than 1,024 levels at " + node.cid());
            }
            stack.push(new Frame(node));
        }

        Piece next() throws IOException {
            if (pendingRoot != null) {
                Piece p = pendingRoot;
                pendingRoot = null;
                return p;
            }
            while (!stack.isEmpty()) {
                Frame f = stack.peek();
                if (!f.dataDone) {
                    f.dataDone = true;
                    if (f.node.data().dataLength() > 0) {
                        byte[] d = f.node.data().data();
                        return new Piece(d, null, d.length);
                    }
                }
                if (f.next < f.node.links().size()) {
                    int i = f.next++;
                    Cid child = f.node.links().get(i).hash();
                    long expected = f.node.data().blocksize(i);
                    if (child.codec() == Multicodec.RAW) {
                        return new Piece(null, child, expected);
                    }
                    UnixFsNode c = load(child);
                    if (c.isRawLeaf()) {
                        return new Piece(null, child, expected);
                    }
                    push(c, expected);
                    continue;
                }
                stack.pop();
            }
            return null;
        }
    }

    private static final class Frame {
        final UnixFsNode node;
        boolean dataDone;
        int next;

        Frame(UnixFsNode node) {
            this.node = node;
        }
    }
}
