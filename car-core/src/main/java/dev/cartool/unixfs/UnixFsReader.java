package dev.cartool.unixfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.dagpb.PbLink;
import dev.cartool.io.BufferPool;
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
    private final NodeCache nodes;
    private ReadHook beforeRead;

    /** Told of a block about to be read from the source (see {@link UnixFsReader#beforeReading}). */
    @FunctionalInterface
    public interface ReadHook {
        void beforeRead(Cid cid) throws IOException;
    }

    public UnixFsReader(BlockSource source) {
        this(source, DEFAULT_WINDOW_BYTES);
    }

    public UnixFsReader(BlockSource source, long windowBytes) {
        this(source, windowBytes, null);
    }

    /** @param nodes decoded nodes shared between readers of the same source (a server's), or null */
    public UnixFsReader(BlockSource source, long windowBytes, NodeCache nodes) {
        this.source = source;
        this.windowBytes = windowBytes;
        this.nodes = nodes;
        this.buffers = new BufferPool(windowBytes);
    }

    public BlockSource source() {
        return source;
    }

    /**
     * What to call before a block is read from the source: a node (a directory, a HAMT shard, a
     * file's interior node) the node cache does not hold, or a file's leaf that is not sent from
     * its file; null for nothing. A gateway hands a request to another thread there when the
     * block may be large.
     */
    public void beforeReading(ReadHook hook) {
        this.beforeRead = hook;
    }

    /** Tells the hook, if any, that {@code cid} is about to be read from the source. */
    void aboutToRead(Cid cid) throws IOException {
        if (beforeRead != null) {
            beforeRead.beforeRead(cid);
        }
    }

    /**
     * Loads and decodes one node.
     *
     * @throws MissingBlockException if the source does not have it
     */
    public UnixFsNode load(Cid cid) throws IOException {
        return load(cid, true);
    }

    /**
     * As {@link #load}, but null when the block is not UnixFS (another codec, DAG-PB without
     * valid UnixFS Data), as {@link UnixFsNode#ifUnixFs}.
     */
    public UnixFsNode loadIfUnixFs(Cid cid) throws IOException {
        return load(cid, false);
    }

    private UnixFsNode load(Cid cid, boolean strict) throws IOException {
        UnixFsNode held = nodes == null ? null : nodes.get(cid);
        if (held != null) {
            return held;
        }
        aboutToRead(cid);
        Block b = source.get(cid);
        if (b == null) {
            throw new MissingBlockException(cid);
        }
        UnixFsNode n = strict ? UnixFsNode.of(b) : UnixFsNode.ifUnixFs(b);
        if (n != null && nodes != null) {
            nodes.put(n);
        }
        return n;
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
        return resolve(root, segments, (PathWalk) null);
    }

    /** Told what a path walk goes through: each block it passes, and each step it takes. */
    @FunctionalInterface
    public interface PathWalk {
        /** A block passed before the target: the root, a directory, a HAMT shard. */
        void passed(Cid block);

        /** The node a segment named. */
        default void stepped(String segment, Cid node) {
        }
    }

    /**
     * As {@link #resolve(Cid, List)}, telling {@code walk} (if not null) every block the walk
     * passed before the target, in order (the root, each directory, each HAMT shard: with the
     * target's own blocks, what a client needs to verify the path) and every step.
     */
    public UnixFsNode resolve(Cid root, List<String> segments, PathWalk walk) throws IOException {
        java.util.function.Consumer<Cid> passed = walk == null ? null : walk::passed;
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
            if (walk != null) {
                walk.stepped(seg, next);
            }
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

    /** The content of a file, to read in order or from any position; see {@link UnixFsFile}. */
    public UnixFsFile open(UnixFsNode file) {
        return new UnixFsFile(this, file);
    }

    /**
     * Writes a file's whole content to {@code out}: {@code open(file).transferTo(out, progress)}.
     *
     * @return the bytes written, always the file's size
     */
    public long transferTo(UnixFsNode file, OutputStream out, LongConsumer progress) throws IOException {
        try (UnixFsFile f = open(file)) {
            return f.transferTo(out, progress);
        }
    }

    /** As {@link #transferTo(UnixFsNode, OutputStream, LongConsumer)}, to a channel. */
    public long transferTo(UnixFsNode file, WritableByteChannel out, LongConsumer progress) throws IOException {
        try (UnixFsFile f = open(file)) {
            return f.transferTo(out, progress);
        }
    }

    /** The read-ahead budget of file content, in bytes. */
    public long windowBytes() {
        return windowBytes;
    }

    /**
     * Leaves fetched ahead at most: with small chunks ({@code --chunker=size-1024}) the byte
     * window alone would let tens of thousands of reads be pending at once.
     */
    static final int MAX_PENDING = 4096;
    /**
     * Direct buffers for leaves, reused across the files of one reader, at most one read-ahead
     * window's worth kept: the window counts buffer capacity, so memory stays within it whatever
     * the chunk size.
     */
    private final BufferPool buffers;

    ByteBuffer acquire(long length) {
        return buffers.acquire(length);
    }

    void release(ByteBuffer b) {
        buffers.release(b);
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
}
