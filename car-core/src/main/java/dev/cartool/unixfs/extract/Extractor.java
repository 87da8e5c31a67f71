package dev.cartool.unixfs.extract;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.Kind;
import dev.cartool.io.AlignedWriter;
import dev.cartool.io.AtomicFile;
import dev.cartool.io.Durable;
import dev.cartool.io.TempPaths;
import dev.cartool.io.Text;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsData;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;

/**
 * Writes a UnixFS file or tree to the filesystem, verified, all or nothing: a file goes to a
 * temporary file beside the target, a tree to a temporary directory beside it; each is flushed
 * to disk and renamed into place only when every byte has been checked. On failure nothing is
 * left behind. Nothing is ever written outside the target, and never through a symlink: a
 * symlink in the DAG is created as a symlink, and its target is not followed. Replacing
 * ({@code --force}) an existing directory merges into it: what the CAR writes replaces what has
 * its name, everything else is left alone.
 */
public final class Extractor {
    /** Directories deeper than this are refused (no real tree gets near it). */
    public static final int MAX_DEPTH = 1024;

    /** Hears about progress. */
    public interface Listener {
        /** {@code n} more bytes of file content were written. */
        default void bytes(long n) {
        }

        /** An entry could not be extracted because a block is missing ({@code --partial}). */
        default void missing(String path, Cid cid) {
        }
    }

    /**
     * What was extracted.
     *
     * @param missing paths skipped for missing blocks (only in partial mode)
     */
    public record Result(UnixFsNode.Kind kind, long files, long directories, long symlinks, long bytes,
            List<String> missing) {
    }

    private final UnixFsReader reader;
    private final boolean partial;
    private final Listener listener;
    private long files;
    private long dirs;
    private long links;
    private long bytes;
    private final List<String> missing = new ArrayList<>();
    private TreeLimits limits = TreeLimits.DEFAULTS;
    private volatile boolean stopped;
    private TreeLimits.Counter counter;
    private java.nio.file.FileStore store;
    /**
     * The store's free bytes when last asked, less the file sizes let through since: asked again
     * only when a file would not fit in it, rather than once per file (a statfs each).
     */
    private long room = -1;

    /**
     * @param partial extract what is present, skipping entries whose blocks are missing (go-car's
     *     behaviour); otherwise the first missing block fails the whole extraction
     */
    public Extractor(UnixFsReader reader, boolean partial, Listener listener) {
        this.reader = reader;
        this.partial = partial;
        this.listener = listener == null ? new Listener() { } : listener;
    }

    /** Bounds the entries and bytes one extraction may write (default {@link TreeLimits#DEFAULTS}). */
    public Extractor limits(TreeLimits limits) {
        this.limits = limits;
        return this;
    }

    /**
     * Extracts {@code root} to {@code target}.
     *
     * @param replace whether an existing target may be replaced
     */
    public Result extract(UnixFsNode root, Path target, boolean replace) throws IOException {
        target = target.toAbsolutePath().normalize();
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (!replace && exists) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists");
        }
        boolean existingDir = exists && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
        if (existingDir && root.kind() != UnixFsNode.Kind.DIRECTORY) {
            // --force replaces what the CAR writes, never a directory's contents (the current
            // directory, '/', a home): refuse, as mv and cp refuse to put a file over a directory.
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory; the CAR holds a "
                    + root.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + ", and a file never replaces a directory");
        }
        Path parent = target.getParent();
        if (parent == null && root.kind() != UnixFsNode.Kind.DIRECTORY) {
            throw new FileAlreadyExistsException(target.toString(), null, "is the filesystem root");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new java.nio.file.NoSuchFileException(String.valueOf(parent), null, "output directory does not exist");
        }
        counter = limits.counter();
        counter.entry(root.cid(), target.toString());
        store = Files.getFileStore(existingDir ? target : parent);
        room = -1;
        if (root.kind() == UnixFsNode.Kind.DIRECTORY) {
            measure(root);
        }
        switch (root.kind()) {
            case FILE:
                checkRoom(root, target.toString());
                try (AtomicFile out = AtomicFile.create(target, replace)) {
                    writeFile(root, out);
                    out.commit();
                }
                files++;
                applyMetadata(root, target);
                break;
            case SYMLINK: {
                Path tmp = parent.resolve("." + target.getFileName() + ".link-" + Long.toHexString(System.nanoTime()));
                Files.createSymbolicLink(tmp, Path.of(symlinkTarget(root)));
                try {
                    Durable.move(tmp, target, replace);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                links++;
                break;
            }
            default: {
                // The tree is built beside its target (inside it when merging: the same filesystem,
                // so every move is a rename), then moved into place only when complete.
                Path staging = existingDir ? target : parent;
                Path tmp = dev.cartool.io.TempPaths.directory(staging, "." + (existingDir ? "car-extract"
                        : target.getFileName()) + ".");
                boolean done = false;
                Thread onExit = cleanupOnExit(tmp, Thread.currentThread());
                try {
                    Set<Multihash> ancestors = new HashSet<>();
                    extractDirectory(root, tmp, "", ancestors, 0);
                    if (!existingDir) {
                        // The root directory's own mode and mtime, last: creating its entries moved the mtime.
                        // Merged into an existing directory, that directory is the user's and is left as it is.
                        applyMetadata(root, tmp);
                    }
                    syncTree(tmp);
                    if (existingDir) {
                        merge(tmp, target);
                    } else {
                        if (exists) {
                            Files.delete(target); // a file or symlink where the tree goes: the CAR writes that name
                        }
                        Durable.move(tmp, target, false);
                        done = true;
                    }
                } finally {
                    if (!done) {
                        TempPaths.deleteTree(tmp);
                    }
                    dropCleanup(onExit);
                }
                if (parent != null) {
                    Durable.syncDirectory(parent);
                }
                break;
            }
        }
        return new Result(root.kind(), files, dirs, links, bytes, List.copyOf(missing));
    }

    /**
     * Counts a tree before any of it is written: its entries and the bytes its files declare,
     * each directory counted once however often it is named (so a DAG that names one subtree a
     * million times is refused at once, not after writing a million entries), checked against
     * the limits and the free space. Directories and multi-block file roots are loaded; raw
     * leaves count with the size their link claims. The real sizes are counted again as the
     * files are written.
     */
    private void measure(UnixFsNode root) throws IOException {
        long[] total = subtree(root, "", new java.util.HashMap<>(), new HashSet<>(), 0);
        if (total[0] > limits.maxEntries()) {
            throw new TreeLimitException(root.cid(), "entries", limits.maxEntries(), "the tree has "
                    + Text.n(total[0]) + " entries, more than " + Text.n(limits.maxEntries()));
        }
        if (total[1] > limits.maxBytes()) {
            throw new TreeLimitException(root.cid(), "bytes", limits.maxBytes(), "the tree's files declare "
                    + Text.n(total[1]) + " bytes, more than " + Text.n(limits.maxBytes()) + " bytes");
        }
        long free = store.getUsableSpace();
        room = free;
        if (total[1] > free) {
            throw new java.nio.file.FileSystemException(String.valueOf(root.cid()), null, "the tree's files need "
                    + Text.n(total[1]) + " bytes, " + Text.n(free) + " are free on " + store);
        }
    }

    /** {entries, bytes} under {@code dir}, memoised by CID; stops once past the entry limit. */
    private long[] subtree(UnixFsNode dir, String path, java.util.Map<Multihash, long[]> memo, Set<Multihash> ancestors,
            int depth) throws IOException {
        long[] known = memo.get(dir.cid().multihash());
        if (known != null) {
            return known;
        }
        if (depth > MAX_DEPTH) {
            throw new UnixFsException(dir.cid(), "directories nested deeper than " + MAX_DEPTH + " at '" + path + "'");
        }
        if (!ancestors.add(dir.cid().multihash())) {
            throw new UnixFsException(dir.cid(), "directory " + dir.cid() + " contains itself at '" + path + "'");
        }
        long[] sum = {1, 0};
        List<DirEntry> entries = new ArrayList<>();
        reader.forEachEntry(dir, entries::add, partial ? (slot, shard) -> { } : null);
        for (DirEntry e : entries) {
            String childPath = path.isEmpty() ? e.name() : path + "/" + e.name();
            long[] child;
            if (e.cid().codec() == dev.cartool.cid.Multicodec.RAW) {
                child = new long[] {1, Math.max(0, e.tsize())};
            } else {
                UnixFsNode n;
                try {
                    n = reader.load(e.cid());
                } catch (MissingBlockException m) {
                    if (!partial) {
                        throw new MissingBlockException(m.cid(), m.getMessage() + " (needed for '" + childPath + "')");
                    }
                    continue; // named when extraction reaches it
                }
                child = n.kind() == UnixFsNode.Kind.DIRECTORY ? subtree(n, childPath, memo, ancestors, depth + 1)
                        : new long[] {1, n.kind() == UnixFsNode.Kind.FILE ? n.fileSize() : 0};
            }
            sum[0] = saturatedAdd(sum[0], child[0]);
            sum[1] = saturatedAdd(sum[1], child[1]);
            if (sum[0] > limits.maxEntries()) {
                throw new TreeLimitException(dir.cid(), "entries", limits.maxEntries(), "the tree has more than "
                        + Text.n(limits.maxEntries()) + " entries (reached at '" + childPath + "')");
            }
        }
        ancestors.remove(dir.cid().multihash());
        memo.put(dir.cid().multihash(), sum);
        return sum;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * A staging tree is removed if the process is stopped (SIGTERM, SIGINT) before it is
     * published: the extraction is told to stop (it checks between entries), then the tree is
     * deleted, again until nothing is being added to it.
     */
    private Thread cleanupOnExit(Path staging, Thread worker) {
        Thread t = new Thread(() -> {
            stopped = true;
            for (int i = 0; i < 100; i++) {
                try {
                    TempPaths.deleteTree(staging);
                    if (!Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
                        return;
                    }
                } catch (IOException retry) {
                    // the extraction was still adding to it
                }
                try {
                    worker.join(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "car-extract-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(t);
        } catch (IllegalStateException e) {
            return null; // already shutting down
        }
        return t;
    }

    private static void dropCleanup(Thread hook) {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs, and finds nothing left to delete
            }
        }
    }

    /**
     * Moves an extracted tree into an existing directory as {@code tar -x} would, but checked
     * first: each entry the CAR writes replaces what has its name (a file or symlink, by an
     * atomic rename), a directory is merged into a directory of the same name, and nothing the
     * CAR does not write is touched. An entry that would put a file over a directory is refused
     * before anything moves.
     */
    private static void merge(Path from, Path into) throws IOException {
        List<String> conflicts = new ArrayList<>();
        findConflicts(from, into, "", conflicts);
        if (!conflicts.isEmpty()) {
            throw new FileAlreadyExistsException(into.resolve(conflicts.get(0)).toString(), null,
                    "is a directory where the CAR has a file or symlink; nothing was written"
                    + (conflicts.size() > 1 ? " (" + conflicts.size() + " such entries)" : ""));
        }
        mergeInto(from, into);
    }

    private static void findConflicts(Path from, Path into, String rel, List<String> out) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(from)) {
            for (Path src : (Iterable<Path>) s::iterator) {
                Path dst = into.resolve(src.getFileName().toString());
                String r = rel.isEmpty() ? src.getFileName().toString() : rel + "/" + src.getFileName();
                boolean srcDir = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS);
                if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                    if (srcDir) {
                        findConflicts(src, dst, r, out);
                    } else {
                        out.add(r);
                    }
                }
            }
        }
    }

    private static void mergeInto(Path from, Path into) throws IOException {
        try {
            Files.setPosixFilePermissions(from, permissions(0700)); // a read-only directory of the CAR's must let go
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
        List<Path> children;
        try (java.util.stream.Stream<Path> s = Files.list(from)) {
            children = s.toList();
        }
        for (Path src : children) {
            Path dst = into.resolve(src.getFileName().toString());
            boolean srcDir = Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS);
            boolean dstExists = Files.exists(dst, LinkOption.NOFOLLOW_LINKS);
            boolean dstDir = dstExists && Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS);
            if (srcDir && dstDir) {
                mergeInto(src, dst);
            } else if (srcDir) {
                if (dstExists) {
                    Files.delete(dst); // a file or symlink where the CAR has a directory
                }
                Durable.move(src, dst, false);
            } else {
                Durable.move(src, dst, true); // rename(2) replaces a file or symlink atomically
            }
        }
        Durable.syncDirectory(into);
    }

    /** Writes a file's verified content into {@code out}, the large file of an image past the cache. */
    private void writeFile(UnixFsNode file, AtomicFile out) throws IOException {
        AlignedWriter w = file.fileSize() >= AlignedWriter.BYPASS_CACHE_FROM
                ? AlignedWriter.bypassingCache(out, reader.windowBytes()) : null;
        if (w == null) {
            writeContent(file, out.channel());
            return;
        }
        try (w) {
            writeContent(file, w.channel());
            w.finish();
        }
    }

    /** Streams a file's verified content (for {@code -o -}). */
    public long writeContent(UnixFsNode file, OutputStream out) throws IOException {
        return writeContent(file, Channels.newChannel(out));
    }

    /** Writes a file's verified content to a channel. */
    public long writeContent(UnixFsNode file, java.nio.channels.WritableByteChannel out) throws IOException {
        return reader.transferTo(file, out, k -> {
            bytes += k;
            listener.bytes(k);
        });
    }

    private void extractDirectory(UnixFsNode dir, Path into, String path, Set<Multihash> ancestors, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new UnixFsException(dir.cid(), "directories nested deeper than " + MAX_DEPTH + " at '" + path + "'");
        }
        if (!ancestors.add(dir.cid().multihash())) {
            throw new UnixFsException(dir.cid(), "directory " + dir.cid() + " contains itself at '" + path + "'");
        }
        dirs++;
        Set<String> names = new HashSet<>();
        List<DirEntry> entries = new ArrayList<>();
        reader.forEachEntry(dir, e -> {
            DirEntry.checkName(dir.cid(), path, e.name());
            if (!names.add(e.name())) {
                throw new UnixFsException(dir.cid(), "directory " + dir.cid() + " has two entries named '"
                        + e.name() + "' at '" + path + "'");
            }
            entries.add(e);
        }, partial ? (slot, shard) -> {
            String where = (path.isEmpty() ? "" : path + "/") + "[HAMT shard " + slot + ": entries unknown]";
            missing.add(where);
            listener.missing(where, shard);
        } : null);
        for (DirEntry e : entries) {
            String childPath = path.isEmpty() ? e.name() : path + "/" + e.name();
            if (stopped) {
                throw new java.io.InterruptedIOException("extraction stopped at '" + childPath + "'");
            }
            counter.entry(dir.cid(), childPath);
            Path dest = into.resolve(e.name());
            if (!dest.getParent().equals(into)) {
                throw new UnixFsException(dir.cid(), "entry '" + e.name() + "' escapes its directory");
            }
            UnixFsNode child;
            try {
                child = reader.load(e.cid());
            } catch (MissingBlockException m) {
                skipMissing(childPath, e.cid(), m);
                continue;
            }
            switch (child.kind()) {
                case DIRECTORY:
                    Files.createDirectory(dest);
                    extractDirectory(child, dest, childPath, ancestors, depth + 1);
                    break;
                case SYMLINK:
                    Files.createSymbolicLink(dest, Path.of(symlinkTarget(child)));
                    links++;
                    break;
                default:
                    if (!extractFile(child, dest, childPath)) {
                        continue;
                    }
                    break;
            }
            if (child.kind() != UnixFsNode.Kind.SYMLINK) {
                applyMetadata(child, dest);
            }
        }
        ancestors.remove(dir.cid().multihash());
    }

    /**
     * Counts a file's declared size against the byte limit, and refuses one that cannot fit in
     * the space left, before any of it is written: a tree that names a big file many times must
     * not fill the disk on its way to failing.
     */
    private void checkRoom(UnixFsNode file, String path) throws IOException {
        long size = file.fileSize();
        counter.bytes(file.cid(), path, size);
        if (store != null && size > 0) {
            if (size > room) {
                room = store.getUsableSpace();
                if (size > room) {
                    throw new java.nio.file.FileSystemException(path, null, "needs " + Text.n(size) + " bytes, "
                            + Text.n(room) + " are free on " + store);
                }
            }
            room -= size;
        }
    }

    private boolean extractFile(UnixFsNode file, Path dest, String path) throws IOException {
        checkRoom(file, path);
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(dest, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            writeContent(file, ch);
            ok = true; // flushed to disk with the whole tree by syncTree, not one fsync per file
        } catch (MissingBlockException m) {
            skipMissing(path, m.cid(), m);
        } finally {
            if (!ok) {
                Files.deleteIfExists(dest);
            }
        }
        if (ok) {
            files++;
        }
        return ok;
    }

    private void skipMissing(String path, Cid cid, MissingBlockException m) throws MissingBlockException {
        if (!partial) {
            throw new MissingBlockException(m.cid(), m.getMessage() + " (needed for '" + path + "')");
        }
        missing.add(path);
        listener.missing(path, m.cid() != null ? m.cid() : cid);
    }

    private static String symlinkTarget(UnixFsNode link) throws UnixFsException {
        String target = new String(link.data().data(), StandardCharsets.UTF_8);
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnixFsException(link.cid(), "symlink " + link.cid() + " has an empty or NUL-bearing target");
        }
        return target;
    }

    /** Entry names that could escape or confuse the tree are refused. */
    private static void applyMetadata(UnixFsNode node, Path p) throws IOException {
        Integer mode = node.mode();
        if (mode != null) {
            try {
                Files.setPosixFilePermissions(p, permissions(mode));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem: keep the defaults
            }
        }
        UnixFsData.Mtime m = node.mtime();
        if (m != null) {
            Files.setLastModifiedTime(p, FileTime.from(m.seconds() * 1_000_000_000L + m.nanos(), TimeUnit.NANOSECONDS));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    /**
     * Makes a freshly written tree durable before it is renamed into place. One fsync per file
     * costs a journal commit each (100,000 small files: 45 s); one {@code syncfs(2)} of the
     * filesystem, through coreutils' {@code sync -f}, costs one. Where that is not to be had, every
     * file and directory is fsynced, several at a time so the journal can group them.
     */
    static void syncTree(Path root) throws IOException {
        if (syncFilesystem(root)) {
            return;
        }
        List<Path> all;
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            all = s.toList();
        }
        try {
            all.parallelStream().forEach(p -> {
                boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                if (!dir && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return; // symlinks have nothing to sync of their own
                }
                if (dir) {
                    Durable.syncDirectory(p);
                    return;
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.force(true);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static volatile Boolean syncfsWorks;

    private static boolean syncFilesystem(Path on) {
        if (Boolean.FALSE.equals(syncfsWorks) || !System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("sync", "-f", on.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean ok = p.waitFor() == 0;
            syncfsWorks = ok;
            return ok;
        } catch (IOException e) {
            syncfsWorks = false;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
