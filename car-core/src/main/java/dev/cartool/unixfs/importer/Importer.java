package dev.cartool.unixfs.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;

import dev.cartool.io.Workers;
import dev.cartool.unixfs.importer.Directories.Entry;
import dev.cartool.unixfs.importer.Directories.Named;

/**
 * Builds the UnixFS DAG of files and directories exactly as {@code ipfs add} (through the
 * reference JS importer) does. This class walks the filesystem; the parts are its own:
 * {@link Chunker} (fixed-size chunks hashed into leaves), {@link BalancedLayout} (leaves into a
 * tree), {@link Directories} (sorted links, or a HAMT past the size estimate) and
 * {@link Blocks} (the blocks and CIDs: raw leaves and CIDv1, or DAG-PB leaves and CIDv0).
 *
 * <p>Each file is read once; its chunks are hashed on a lane of the shared workers. The result
 * holds the interior nodes (small) and, for each leaf, where its bytes are in the input, so that
 * a CAR writer can read them again by position: memory does not grow with file sizes.
 */
public final class Importer implements AutoCloseable {
    private final ImportProfile profile;
    private final boolean hidden;
    private final Workers.Lane pool;
    private final Blocks blocks;
    private final Directories directories;
    private final Chunker chunker;
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
        this.hidden = hidden;
        this.pool = Workers.lane(threads);
        this.blocks = new Blocks(cidVersion);
        this.directories = new Directories(profile, blocks);
        this.chunker = new Chunker(blocks, pool, n -> progress.accept(n));
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
        return importEntry(path, true).node();
    }

    /**
     * Imports the tree a tar archive holds, as if it had been extracted into an empty directory
     * and that directory imported: same CIDs, no unpacking. File contents are chunked straight
     * from the archive (a packer reads them from there again), so {@code tar} must stay as it is
     * until the DAG is written.
     */
    public DagNode importTar(Path tar) throws IOException {
        return importTarNode(TarTree.read(tar, hidden), tar).node();
    }

    private Entry importTarNode(TarTree.Node n, Path tar) throws IOException {
        if (n instanceof TarTree.Dir) {
            List<Named> entries = new ArrayList<>();
            for (java.util.Map.Entry<String, TarTree.Node> c : ((TarTree.Dir) n).children.entrySet()) {
                entries.add(new Named(c.getKey(), importTarNode(c.getValue(), tar)));
            }
            return new Entry(directories.directory(entries), !entries.isEmpty());
        }
        if (n instanceof TarTree.Link) {
            return new Entry(blocks.symlink(((TarTree.Link) n).target()), false);
        }
        TarTree.FileRegion f = (TarTree.FileRegion) n;
        return new Entry(BalancedLayout.of(chunker.leaves(tar, f.offset(), f.size(), chunkSize, null), profile.maxLinks(),
                blocks), false);
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
                if (entries.get(i).name().equals(entries.get(j).name())) {
                    throw new IllegalArgumentException("two inputs are named '" + entries.get(i).name() + "'");
                }
            }
        }
        return directories.directory(entries);
    }

    private Entry importEntry(Path p, boolean top) throws IOException {
        if (Files.isSymbolicLink(p) && !top) {
            return new Entry(blocks.symlink(Files.readSymbolicLink(p).toString()), false);
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
            return new Entry(directories.directory(entries), !entries.isEmpty());
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

    /**
     * As {@link #file(Path)}, handing every leaf block to {@code sink} while the chunk is still in
     * memory, so that a writer needs no second read of the file. The sink runs on this thread,
     * one block after the other, in file order.
     */
    public DagNode file(Path p, LeafSink sink) throws IOException {
        return BalancedLayout.of(chunker.leaves(p, chunkSize, sink), profile.maxLinks(), blocks);
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
        DagNode fullLeaf = full > 0 ? blocks.standIn(chunk) : null;
        DagNode tailLeaf = tail > 0 || full == 0 ? blocks.standIn(tail) : null;
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
        return BalancedLayout.of(leaves, profile.maxLinks(), blocks);
    }

    /** {@code node} alone in a directory under {@code name}, as {@link #importWrapped} makes it. */
    public DagNode wrapOne(String name, DagNode node) {
        return directories.directory(List.of(new Named(name, new Entry(node, false))));
    }

    /** The DAG-PB block of a CIDv0 leaf: a UnixFS file node holding the chunk. */
    public static byte[] wrapLeaf(byte[] data) {
        return Blocks.wrapLeaf(data);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.cancel();
        }
    }
}
