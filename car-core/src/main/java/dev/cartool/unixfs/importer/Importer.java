package dev.cartool.unixfs.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

import dev.cartool.cid.Cid;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.io.BufferPool;
import dev.cartool.io.Futures;
import dev.cartool.io.Workers;
import dev.cartool.unixfs.Hamt;
import dev.cartool.unixfs.UnixFsData;

/**
 * Builds the UnixFS DAG of files and directories exactly as {@code ipfs add} (through the
 * reference JS importer) does: fixed-size chunks, a balanced layout, raw leaves and CIDv1 (or
 * DAG-PB leaves and CIDv0), canonical DAG-PB, directories with links sorted by name that become
 * HAMT shards (fanout 256, murmur3) when their estimated size passes 256 KiB.
 *
 * <p>Each file is read once; its chunks are hashed on a pool of threads. The result holds the
 * interior nodes (small) and, for each leaf, where its bytes are in the input, so that a CAR
 * writer can read them again by position: memory does not grow with file sizes.
 */
public final class Importer implements AutoCloseable {
    /** The shards the importer writes: fanout 256, as Kubo and the JS importer. */
    private static final Hamt HAMT = Hamt.ofFanout(ImportProfile.SHARD_FANOUT);

    private static final int IN_FLIGHT_CHUNKS = 32;

    private final ImportProfile profile;
    private final int cidVersion;
    private final boolean hidden;
    private final Workers.Lane pool;
    private BufferPool buffers;
    private long buffersBudget;
    private final HashFunction sha256 = HashFunction.forCode(Multicodec.SHA2_256).orElseThrow();
    private LongConsumer progress = n -> { };
    private int chunkSize;

    /**
     * @param cidVersion 1 (raw leaves, CIDv1: {@code ipfs add --cid-version 1}) or 0 (DAG-PB
     *     leaves, CIDv0: plain {@code ipfs add})
     * @param hidden include names starting with a dot ({@code ipfs add --hidden})
     * @param threads hashing threads; 0 hashes on the calling thread
     */
    public Importer(ImportProfile profile, int cidVersion, boolean hidden, int threads) {
        if (cidVersion != 0 && cidVersion != 1) {
            throw new IllegalArgumentException("CID version must be 0 or 1, not " + cidVersion);
        }
        this.profile = profile;
        this.chunkSize = profile.chunkSize();
        this.cidVersion = cidVersion;
        this.hidden = hidden;
        this.pool = Workers.lane(threads);
    }

    public ImportProfile profile() {
        return profile;
    }

    /** The largest chunk Kubo's fixed-size chunker accepts ({@code --chunker=size-N}). */
    public static final int MAX_CHUNK_SIZE = 1 << 20;

    /**
     * Cuts files into chunks of {@code bytes} instead of the profile's, as {@code ipfs add
     * --chunker=size-N} does.
     */
    public Importer chunkSize(int bytes) {
        if (bytes < 1 || bytes > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size " + bytes + " outside 1.." + MAX_CHUNK_SIZE);
        }
        this.chunkSize = bytes;
        return this;
    }

    /** The size files are cut into. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Receives the number of input bytes hashed, as it grows. */
    public Importer onProgress(LongConsumer p) {
        this.progress = p;
        return this;
    }

    /** Imports a file, directory or symlink as {@code ipfs add} (no wrapping). */
    public DagNode importPath(Path path) throws IOException {
        return importEntry(path, true).node;
    }

    /** The name {@code p} goes under when wrapped: its file name. */
    public static String wrapName(Path p) {
        Path name = p.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            throw new IllegalArgumentException(p + ": has no name to wrap it under");
        }
        return name.toString();
    }

    /** Imports paths inside one directory under their file names ({@code ipfs add -w}). */
    public DagNode importWrapped(List<Path> paths) throws IOException {
        List<Named> entries = new ArrayList<>();
        for (Path p : paths) {
            String name = wrapName(p);
            entries.add(new Named(name, importEntry(p, true)));
        }
        for (int i = 1; i < entries.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (entries.get(i).name.equals(entries.get(j).name)) {
                    throw new IllegalArgumentException("two inputs are named '" + entries.get(i).name + "'");
                }
            }
        }
        return directory(entries);
    }

    private record Entry(DagNode node, boolean nonEmptyDirectory) {
    }

    private record Named(String name, Entry entry) {
    }

    private Entry importEntry(Path p, boolean top) throws IOException {
        if (Files.isSymbolicLink(p) && !top) {
            return new Entry(symlink(Files.readSymbolicLink(p).toString()), false);
        }
        if (Files.isDirectory(p)) {
            List<Named> entries = new ArrayList<>();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    if (!hidden && c.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    children.add(c);
                }
            }
            children.sort(Comparator.comparing(c -> c.getFileName().toString()));
            for (Path c : children) {
                entries.add(new Named(c.getFileName().toString(), importEntry(c, false)));
            }
            return new Entry(directory(entries), !entries.isEmpty());
        }
        if (Files.isRegularFile(p)) {
            return new Entry(file(p), false);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.NoSuchFileException(p.toString());
        }
        throw new IOException(p + ": not a regular file, directory or symlink; cannot add it");
    }

    // --- files --------------------------------------------------------------------------

    /** The DAG of one file: its single leaf, or a balanced tree over its leaves. */
    public DagNode file(Path p) throws IOException {
        return file(p, null);
    }

    /** Receives each leaf's block once it is hashed, in file order, on the importing thread. */
    @FunctionalInterface
    public interface LeafSink {
        /**
         * @param leaf the leaf, its position in the file telling which one it is
         * @param block the leaf's block (the chunk itself for a raw leaf); valid only during the
         *     call, as its buffer is then reused
         */
        void accept(DagNode.Leaf leaf, ByteBuffer block) throws IOException;
    }

    /** A chunk being read and hashed: its buffer comes back once its leaf is taken. */
    private record Hashing(Future<Hashed> result, ByteBuffer buffer) {
    }

    /** A hashed chunk, with its block when a sink wants it. */
    private record Hashed(DagNode.Leaf leaf, ByteBuffer block) {
    }

    /**
     * As {@link #file(Path)}, handing every leaf block to {@code sink} while the chunk is still in
     * memory, so that a writer needs no second read of the file. Chunks are read by position and
     * hashed on the pool; the sink runs here, one block after the other, so a writer is never
     * two threads contending for the output file (measured: they spun on its inode lock).
     */
    public DagNode file(Path p, LeafSink sink) throws IOException {
        int chunk = chunkSize;
        DagNode.FileStamp stamp = DagNode.FileStamp.of(p);
        long size = stamp.size();
        long count = Math.max(1, (size + chunk - 1) / chunk); // the empty file is one empty leaf
        List<DagNode> leaves = new ArrayList<>((int) Math.min(count, 1 << 20));
        // Chunk buffers are recycled across files: a leaf keeps its CID and position, not its bytes.
        BufferPool free = buffers(chunk);
        Deque<Hashing> pending = new ArrayDeque<>();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            for (long i = 0; i < count; i++) {
                if (pending.size() >= IN_FLIGHT_CHUNKS) {
                    take(pending.poll(), leaves, free, sink);
                }
                ByteBuffer buf = free.acquire(chunk);
                long at = i * chunk;
                int n = (int) Math.min(chunk, size - at);
                java.util.concurrent.Callable<Hashed> task = () -> {
                    readAt(ch, buf, at, n, p);
                    return leaf(p, at, buf, n, stamp, sink != null);
                };
                pending.add(new Hashing(pool != null ? pool.submit(task) : done(task), buf));
            }
            while (!pending.isEmpty()) {
                take(pending.poll(), leaves, free, sink);
            }
            if (ch.size() != size || !stamp.equals(DagNode.FileStamp.of(p))) {
                throw new IOException(p + ": changed while it was read");
            }
        } finally {
            for (Hashing h : pending) {
                h.result.cancel(false); // a buffer still in use is dropped, never reused
            }
        }
        return balanced(leaves);
    }

    /** The chunk buffers, enough for every chunk in flight; made again if the chunk size changed. */
    private BufferPool buffers(int chunk) {
        long budget = (long) (IN_FLIGHT_CHUNKS + 1) * BufferPool.sizeClass(chunk);
        if (buffers == null || buffersBudget != budget) {
            buffers = new BufferPool(budget);
            buffersBudget = budget;
        }
        return buffers;
    }

    private void take(Hashing h, List<DagNode> leaves, BufferPool free, LeafSink sink) throws IOException {
        Hashed r = Futures.await(h.result);
        leaves.add(r.leaf);
        if (sink != null) {
            sink.accept(r.leaf, r.block);
        }
        free.release(h.buffer);
        progress.accept(r.leaf.length());
    }

    private static <T> Future<T> done(java.util.concurrent.Callable<T> task) throws IOException {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(task.call());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Reads exactly {@code n} bytes at {@code at} into {@code b}, flipped for reading. */
    private static void readAt(FileChannel ch, ByteBuffer b, long at, int n, Path p) throws IOException {
        b.clear().limit(n);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException(p + ": changed while it was read (shorter than " + (at + n) + " bytes)");
            }
        }
        b.flip();
    }

    /** The balanced layout over a file's leaves (the leaf itself when there is one). */
    private DagNode balanced(List<DagNode> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        List<DagNode> level = leaves;
        while (level.size() > 1) {
            List<DagNode> up = new ArrayList<>((level.size() + profile.maxLinks() - 1) / profile.maxLinks());
            for (int i = 0; i < level.size(); i += profile.maxLinks()) {
                up.add(fileNode(level.subList(i, Math.min(level.size(), i + profile.maxLinks()))));
            }
            level = up;
        }
        return level.get(0);
    }

    private Hashed leaf(Path p, long offset, ByteBuffer buf, int length, DagNode.FileStamp stamp, boolean keepBlock) {
        if (cidVersion == 1) {
            Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, sha256.digest(buf)));
            return new Hashed(new DagNode.Leaf(cid, length, p, offset, length, false, stamp),
                    keepBlock ? buf.duplicate() : null);
        }
        byte[] bytes = new byte[length];
        buf.duplicate().get(bytes);
        byte[] block = wrapLeaf(bytes);
        return new Hashed(new DagNode.Leaf(pbCid(block), block.length, p, offset, length, true, stamp),
                keepBlock ? ByteBuffer.wrap(block) : null);
    }

    /**
     * The shape {@link #file(Path)} gives a file of {@code size} bytes, without reading it: the
     * same tree over stand-in leaves whose CIDs have the real length but a zero digest. Every
     * block has the size the real one will have (CIDs of one kind have one length), so a writer
     * can tell where each section goes before anything is hashed. Leaves of equal length are
     * one shared object: memory grows with the number of interior nodes only.
     */
    public DagNode planFile(long size) {
        int chunk = chunkSize;
        long full = size / chunk;
        int tail = (int) (size % chunk);
        DagNode fullLeaf = full > 0 ? standIn(chunk) : null;
        DagNode tailLeaf = tail > 0 || full == 0 ? standIn(tail) : null;
        long count = full + (tailLeaf != null ? 1 : 0);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a file of " + size + " bytes has too many chunks");
        }
        List<DagNode> leaves = new ArrayList<>((int) count);
        for (long i = 0; i < full; i++) {
            leaves.add(fullLeaf);
        }
        if (tailLeaf != null) {
            leaves.add(tailLeaf);
        }
        return balanced(leaves);
    }

    private DagNode standIn(int length) {
        Multihash zero = Multihash.of(Multicodec.SHA2_256, new byte[32]);
        if (cidVersion == 1) {
            return new DagNode.Leaf(Cid.v1(Multicodec.RAW, zero), length, null, 0, length, false, null);
        }
        return new DagNode.Leaf(Cid.v0(zero), wrapLeaf(new byte[length]).length, null, 0, length, true, null);
    }

    /** {@code node} alone in a directory under {@code name}, as {@link #importWrapped} makes it. */
    public DagNode wrapOne(String name, DagNode node) {
        return directory(List.of(new Named(name, new Entry(node, false))));
    }

    /** The DAG-PB block of a CIDv0 leaf: a UnixFS file node holding the chunk. */
    public static byte[] wrapLeaf(byte[] data) {
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.FILE).data(data.length == 0 ? null : data)
                .filesize((long) data.length).build();
        return DagPb.encode(new PbNode(List.of(), d.encode()));
    }

    private DagNode fileNode(List<DagNode> children) {
        long[] sizes = new long[children.size()];
        List<PbLink> links = new ArrayList<>(children.size());
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            DagNode c = children.get(i);
            sizes[i] = c.contentSize();
            total += sizes[i];
            links.add(new PbLink(c.cid(), "", c.tsize()));
        }
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.FILE).filesize(total).blocksizes(sizes).build();
        byte[] block = DagPb.encode(new PbNode(links, d.encode()));
        return new DagNode.Node(pbCid(block), block, children, total);
    }

    // --- symlinks and directories ---------------------------------------------------------

    private DagNode symlink(String target) {
        UnixFsData d = UnixFsData.builder(UnixFsData.Type.SYMLINK).data(target.getBytes(StandardCharsets.UTF_8)).build();
        byte[] block = DagPb.encode(new PbNode(List.of(), d.encode()));
        return new DagNode.Node(pbCid(block), block, List.of(), 0);
    }

    private DagNode directory(List<Named> entries) {
        List<Named> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.name.getBytes(StandardCharsets.UTF_8),
                b.name.getBytes(StandardCharsets.UTF_8)));
        if (estimate(sorted) > ImportProfile.SHARD_THRESHOLD) {
            Bucket root = new Bucket();
            for (Named e : sorted) {
                root.put(new Placed(e.name, e.entry.node, Hamt.hash(e.name)), 0);
            }
            return root.flush();
        }
        List<PbLink> links = new ArrayList<>();
        List<DagNode> children = new ArrayList<>();
        for (Named e : sorted) {
            links.add(new PbLink(e.entry.node.cid(), e.name, e.entry.node.tsize()));
            children.add(e.entry.node);
        }
        byte[] block = DagPb.encode(new PbNode(links, UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode()));
        return new DagNode.Node(pbCid(block), block, children, 0);
    }

    /**
     * The reference importer's size estimate of a flat directory. Like it, a subdirectory that
     * has entries of its own does not count (its CID is not known when the decision is made);
     * files, symlinks and empty directories do.
     */
    private long estimate(List<Named> entries) {
        long size = profile.exactBlockSizeEstimate() ? 4 : 0; // Data field of a plain directory
        for (Named e : entries) {
            if (e.entry.nonEmptyDirectory) {
                continue;
            }
            int name = e.name.getBytes(StandardCharsets.UTF_8).length;
            int cid = e.entry.node.cid().encodedLength();
            if (profile.exactBlockSizeEstimate()) {
                long link = 1 + varintLen(cid) + cid + 1 + varintLen(name) + name + 1 + varintLen(e.entry.node.tsize());
                size += 1 + varintLen(link) + link;
            } else {
                size += name + cid;
            }
        }
        return size;
    }

    private static int varintLen(long v) {
        return dev.cartool.cid.Varint.size(v);
    }

    /** One entry placed in a HAMT bucket, with the hash that placed it. */
    private record Placed(String name, DagNode node, long hash) {
    }

    /** A HAMT bucket being filled: each slot empty, one {@link Placed} entry, or a sub-bucket. */
    private final class Bucket {
        private final Object[] slots = new Object[HAMT.fanout()];

        void put(Placed e, int depth) {
            if (depth >= HAMT.maxDepth()) {
                throw new IllegalStateException("HAMT deeper than a 64-bit hash allows for '" + e.name() + "'");
            }
            int slot = HAMT.slot(e.hash(), depth);
            Object cur = slots[slot];
            if (cur == null) {
                slots[slot] = e;
            } else if (cur instanceof Bucket) {
                ((Bucket) cur).put(e, depth + 1);
            } else {
                Bucket b = new Bucket();
                b.put((Placed) cur, depth + 1);
                b.put(e, depth + 1);
                slots[slot] = b;
            }
        }

        DagNode flush() {
            List<PbLink> links = new ArrayList<>();
            List<DagNode> children = new ArrayList<>();
            java.util.BitSet occupied = new java.util.BitSet(slots.length);
            for (int i = 0; i < slots.length; i++) {
                Object s = slots[i];
                if (s == null) {
                    continue;
                }
                occupied.set(i);
                String prefix = HAMT.prefix(i);
                if (s instanceof Bucket) {
                    DagNode child = ((Bucket) s).flush();
                    links.add(new PbLink(child.cid(), prefix, child.tsize()));
                    children.add(child);
                } else {
                    Placed e = (Placed) s;
                    links.add(new PbLink(e.node().cid(), prefix + e.name(), e.node().tsize()));
                    children.add(e.node());
                }
            }
            byte[] block = DagPb.encode(new PbNode(links, HAMT.shardData(occupied).encode()));
            return new DagNode.Node(pbCid(block), block, children, 0);
        }
    }

    private Cid pbCid(byte[] block) {
        Multihash mh = Multihash.of(Multicodec.SHA2_256, sha256.digest(block, 0, block.length));
        return cidVersion == 0 ? Cid.v0(mh) : Cid.v1(Multicodec.DAG_PB, mh);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.cancel();
        }
    }
}
