package dev.cartool.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarFile;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarVerifier;
import dev.cartool.car.SectionRef;
import dev.cartool.car.VerifyReport;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;
import dev.cartool.io.EarlyFlush;
import dev.cartool.io.Workers;

/**
 * A local content store of verified CARs, found by root CID without an IPFS daemon.
 *
 * <p>Layout under the store directory:
 * <pre>
 *   cars/NAME.car   an imported CAR, kept whole, as it arrived
 *   cars/NAME.idx   its block index ({@link BlockIndex}): any block found by binary search
 *   roots/CID       one small properties file per root: which CAR holds it, when, how big
 *   tmp/            imports in progress (same filesystem, so publishing is a rename)
 *   lock            serialises the publishing step, removal and gc between processes
 * </pre>
 * An import copies the CAR into {@code tmp/}, verifies the copy completely (every hash, every
 * root present, the DAG complete under the roots), writes its index, flushes both, renames them
 * into {@code cars/}, and only then writes the root files (each a temp file renamed into place).
 * A root file is what makes a CAR visible, so a crash at any point leaves the store as it was:
 * at worst an unreferenced CAR that {@link #gc()} removes. Importing a CAR whose roots are all
 * present already changes nothing.
 */
public final class CarStore implements AutoCloseable {
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    private final Path dir;
    private final Path cars;
    private final Path roots;
    private final Path tmp;
    private final Map<String, CarFile> openCars = new HashMap<>();
    private final Map<String, BlockIndex> openIndexes = new HashMap<>();
    private final Map<String, CarFileSource> openSources = new HashMap<>();

    private CarStore(Path dir, boolean create) throws IOException {
        this.dir = dir;
        if (create) {
            this.cars = Files.createDirectories(dir.resolve("cars"));
            this.roots = Files.createDirectories(dir.resolve("roots"));
            this.tmp = Files.createDirectories(dir.resolve("tmp"));
        } else {
            if (!Files.isDirectory(dir)) {
                throw new java.nio.file.NoSuchFileException(dir.toString(), null,
                        "no store here (importing a CAR creates one)");
            }
            this.cars = dir.resolve("cars");
            this.roots = dir.resolve("roots");
            this.tmp = dir.resolve("tmp");
        }
    }

    /** The default store: {@code $CAR_STORE}, else {@code $XDG_DATA_HOME/car}, else {@code ~/.local/share/car}. */
    public static Path defaultDirectory(Map<String, String> env) {
        String s = env.get("CAR_STORE");
        if (s != null) {
            if (s.isEmpty()) {
                // An empty value is a mistake (an unset variable in a job script), not a wish
                // for the default store: refuse it rather than use another store silently.
                throw new IllegalArgumentException("CAR_STORE is set but empty (unset it for the default store)");
            }
            return Path.of(s);
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "car");
        }
        return Path.of(home(env), ".local", "share", "car");
    }

    /** {@code $HOME}, as shells and Apptainer take it; Java's {@code user.home} (from passwd) only without one. */
    public static String home(Map<String, String> env) {
        String h = env.get("HOME");
        return h != null && !h.isEmpty() ? h : System.getProperty("user.home");
    }

    /** Opens the store at {@code dir}, creating it if need be (for imports). */
    public static CarStore open(Path dir) throws IOException {
        return new CarStore(dir, true);
    }

    /**
     * Opens an existing store without creating anything (for verbs that only read): a missing
     * directory is a {@link java.nio.file.NoSuchFileException} that says so; an empty one is an
     * empty store. Removing roots and gc work on it; importing needs {@link #open}.
     */
    public static CarStore openExisting(Path dir) throws IOException {
        return new CarStore(dir, false);
    }

    public Path directory() {
        return dir;
    }

    /**
     * What an import did.
     *
     * @param alreadyPresent every root was in the store already: nothing changed
     */
    public record ImportResult(List<Cid> roots, long blocks, long bytes, boolean alreadyPresent) {
    }

    /**
     * Imports a CAR file. Nothing becomes visible unless the whole CAR verifies.
     *
     * @throws CarException naming the first problem if the CAR does not verify
     */
    public ImportResult importCar(Path car) throws IOException {
        return importCar(car, n -> { });
    }

    /**
     * Imports a CAR file, telling {@code progress} the bytes verified. A plain (uncompressed)
     * CAR is copied into the store's tmp/ by the kernel and the copy verified by position, its
     * blocks hashed on every core by the threads that read them: what is verified is what is
     * kept. A file that does not start as a CAR is refused before anything is copied. A
     * compressed file, a pipe or a device is read as a stream ({@link #importCar(InputStream)}).
     */
    public ImportResult importCar(Path car, java.util.function.LongConsumer progress) throws IOException {
        if (!Files.isRegularFile(car) || dev.cartool.car.Compression.detect(car) != dev.cartool.car.Compression.NONE) {
            // a pipe or device cannot be read by position; a compressed file is read through
            boolean pipe = Files.exists(car) && !Files.isRegularFile(car); // the NIO stream's available() seeks
            InputStream raw = pipe ? new java.io.FileInputStream(car.toFile()) : Files.newInputStream(car);
            try (InputStream in = dev.cartool.car.Compression.decompressing(new java.io.BufferedInputStream(raw, 1 << 16))) {
                return importCar(in);
            }
        }
        try (dev.cartool.car.CarFile check = dev.cartool.car.CarFile.open(car, dev.cartool.car.CarReaderOptions.DEFAULTS)) {
            check.header(); // a header that reads, before a byte is copied
        }
        String id = UUID.randomUUID().toString();
        Path carTmp = tmp.resolve(id + ".car");
        Path idxTmp = tmp.resolve(id + ".idx");
        BlockIndex.Builder entries = new BlockIndex.Builder();
        try {
            VerifyReport report;
            try (FileChannel from = FileChannel.open(car, StandardOpenOption.READ);
                    FileChannel to = FileChannel.open(carTmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long size = from.size();
                long at = 0;
                while (at < size) {
                    long n = from.transferTo(at, size - at, to);
                    if (n <= 0) {
                        throw new IOException(car + ": changed while it was copied (ends at " + at + " of " + size + " bytes)");
                    }
                    at += n;
                }
                // The copy's writeback runs while it is verified, leaving the final fsync little
                // to wait for (1 GiB: 1,428 against 1,896 ms with the whole fsync after the verify).
                EarlyFlush flush = new EarlyFlush(to);
                flush.start();
                report = CarVerifier.withDefaults().verify(carTmp, progress, ref -> {
                    try {
                        entries.add(ref.cid().multihash(), ref.offset());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                flush.await();
                if (report.ok()) {
                    to.force(true); // reports what the early flush may have met
                }
            }
            return publish(report, id, carTmp, idxTmp, entries);
        } finally {
            entries.close(); // the index's sort runs, if any spilled
            Files.deleteIfExists(carTmp);
            Files.deleteIfExists(idxTmp);
        }
    }

    /**
     * Imports a CAR from a stream. It is verified as it is copied into the store's tmp/: the
     * first problem (a header or section length over its limit, a bad hash, the end of the data
     * inside a section) stops the copy, so endless or hostile input never fills the disk.
     */
    public ImportResult importCar(InputStream in) throws IOException {
        String id = UUID.randomUUID().toString();
        Path carTmp = tmp.resolve(id + ".car");
        Path idxTmp = tmp.resolve(id + ".idx");
        java.io.Closeable closeLater = null;
        try {
            VerifyReport report;
            // The index is built in the verifying pass (go-car's read-write blockstore indexes as
            // it writes): the copy is never read back.
            BlockIndex.Builder entries = new BlockIndex.Builder();
            closeLater = entries;
            try (FileChannel ch = FileChannel.open(carTmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                TeeInputStream tee = new TeeInputStream(in, ch);
                report = CarVerifier.withDefaults().verify(tee, b -> {
                    try {
                        entries.add(b.cid().multihash(), b.offset());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (tee.failure != null) {
                    throw tee.failure;
                }
                tee.flush.await();
                ch.force(true);
            }
            return publish(report, id, carTmp, idxTmp, entries);
        } finally {
            if (closeLater != null) {
                closeLater.close(); // the index's sort runs, if any spilled
            }
            Files.deleteIfExists(carTmp);
            Files.deleteIfExists(idxTmp);
        }
    }

    /**
     * Makes a verified copy in tmp/ visible: its index written, both moved into cars/, a root
     * file for each root (each durable before the rename that publishes it). Nothing moves
     * unless the report is clean; roots already present keep the copy out.
     */
    private ImportResult publish(VerifyReport report, String id, Path carTmp, Path idxTmp, BlockIndex.Builder entries)
            throws IOException {
        if (!report.ok()) {
            VerifyReport.Problem p = report.problems().get(0);
            throw new CarException(p.offset(), p.message(), p.kind()); // its kind kept
        }
        if (allPresent(report.roots())) {
            return new ImportResult(report.roots(), report.blocks(), report.bytes(), true);
        }
        BlockIndex.write(idxTmp, entries);
        String name = report.roots().get(0) + "-" + id.substring(0, 8);
        boolean raced = withLock(() -> {
            if (allPresent(report.roots())) {
                return true; // another import of the same roots finished first: keep no second copy
            }
            dev.cartool.io.Durable.move(idxTmp, cars.resolve(name + ".idx"), true);
            dev.cartool.io.Durable.move(carTmp, cars.resolve(name + ".car"), true);
            dev.cartool.io.Durable.syncDirectory(cars);
            for (Cid root : report.roots()) {
                Properties p = new Properties();
                p.setProperty("car", name);
                p.setProperty("imported", Instant.now().toString());
                p.setProperty("bytes", Long.toString(report.bytes()));
                p.setProperty("blocks", Long.toString(report.blocks()));
                Path t = tmp.resolve(UUID.randomUUID() + ".root");
                try (FileChannel rc = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    OutputStream o = java.nio.channels.Channels.newOutputStream(rc);
                    p.store(o, null);
                    o.flush();
                    rc.force(true); // on disk before the rename that publishes it
                }
                dev.cartool.io.Durable.move(t, rootFile(root), true);
            }
            dev.cartool.io.Durable.syncDirectory(roots);
            return false;
        });
        return new ImportResult(report.roots(), report.blocks(), report.bytes(), raced);
    }

    private boolean allPresent(List<Cid> rs) {
        for (Cid r : rs) {
            if (!hasRoot(r)) {
                return false; // absent, or damaged: importing again repairs it
            }
        }
        return !rs.isEmpty();
    }

    /** Copies what is read to a file, so that the bytes verified are the bytes kept. */
    private static final class TeeInputStream extends java.io.FilterInputStream {
        private final FileChannel copy;
        /** The copy's writeback under way as it is written: the final fsync then has little left. */
        final EarlyFlush flush;
        IOException failure;

        TeeInputStream(InputStream in, FileChannel copy) {
            super(in);
            this.copy = copy;
            this.flush = new EarlyFlush(copy);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                try {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, n);
                    while (buf.hasRemaining()) {
                        copy.write(buf);
                    }
                    flush.wrote(n);
                } catch (IOException e) {
                    failure = new IOException("store " + copy + ": write failed: " + e.getMessage(), e);
                    throw failure;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] b = new byte[(int) Math.min(n, 8192)];
            int r = read(b, 0, b.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller owns the input
        }
    }

    private Path rootFile(Cid root) {
        return roots.resolve(root.toV1().toString());
    }

    /** A stored root. */
    public record RootEntry(Cid root, String car, Instant imported, long bytes, long blocks) {
    }

    /**
     * Every root in the store, by CID. A damaged root file (what a crash can leave) is left out
     * and reported by {@link #damagedRoots()}; the other roots stay usable.
     */
    public List<RootEntry> list() throws IOException {
        Map<String, RootEntry> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(roots)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(roots)) {
            for (Path p : ds) {
                try {
                    RootEntry e = readRoot(p);
                    if (e != null) {
                        out.put(e.root().toString(), e);
                    }
                } catch (DamagedRootException e) {
                    // listed by damagedRoots()
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** Root files that cannot be read: each message names the file and what is wrong. */
    public List<String> damagedRoots() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(roots)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(roots)) {
            for (Path p : ds) {
                try {
                    readRoot(p);
                } catch (DamagedRootException e) {
                    out.add(e.getMessage());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** A root file that is empty, cut short or otherwise unreadable. */
    static final class DamagedRootException extends CarException {
        private static final long serialVersionUID = 1L;

        DamagedRootException(Path file, String why) {
            super(-1, file + ": damaged root file (" + why + "); 'car import' of its CAR again repairs it, "
                    + "'car store rm' removes it");
        }
    }

    private static RootEntry readRoot(Path p) throws IOException {
        Cid cid;
        try {
            cid = Cid.parse(p.getFileName().toString());
        } catch (CidFormatException e) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
        } catch (IllegalArgumentException e) {
            throw new DamagedRootException(p, "unreadable: " + e.getMessage());
        }
        String car = props.getProperty("car");
        String imported = props.getProperty("imported");
        String bytes = props.getProperty("bytes");
        String blocks = props.getProperty("blocks");
        if (car == null || imported == null || bytes == null || blocks == null) {
            throw new DamagedRootException(p, Files.size(p) == 0 ? "empty" : "incomplete");
        }
        if (car.isEmpty() || car.contains("/") || car.startsWith(".")) {
            throw new DamagedRootException(p, "names no CAR of the store");
        }
        try {
            return new RootEntry(cid, car, Instant.parse(imported), Long.parseLong(bytes), Long.parseLong(blocks));
        } catch (RuntimeException e) {
            throw new DamagedRootException(p, "unreadable field: " + e.getMessage());
        }
    }

    /** Whether {@code root} was imported as a root (and its root file is whole). */
    public boolean hasRoot(Cid root) {
        Path f = rootFile(root);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            return readRoot(f) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes a root; its CAR goes when no other root needs it. Returns false if absent. */
    public boolean remove(Cid root) throws IOException {
        return withLock(() -> {
            Path f = rootFile(root);
            if (!Files.isRegularFile(f)) {
                return false;
            }
            RootEntry read;
            try {
                read = readRoot(f);
            } catch (DamagedRootException d) {
                read = null; // removing a damaged root file is how it is repaired; gc takes its CAR
            }
            RootEntry e = read;
            Files.delete(f);
            dev.cartool.io.Durable.syncDirectory(roots);
            if (e != null && list().stream().noneMatch(o -> o.car().equals(e.car()))) {
                closeCar(e.car());
                Files.deleteIfExists(cars.resolve(e.car() + ".car"));
                Files.deleteIfExists(cars.resolve(e.car() + ".idx"));
            }
            return true;
        });
    }

    /** Deletes CARs no root refers to and imports left behind by a crash. Returns files removed. */
    public int gc() throws IOException {
        return withLock(() -> {
            java.util.Set<String> live = new java.util.HashSet<>();
            for (RootEntry e : list()) {
                live.add(e.car());
            }
            int removed = 0;
            if (!Files.isDirectory(cars) || !Files.isDirectory(tmp)) {
                return 0; // an empty store, never imported into
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(cars)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    String base = n.endsWith(".car") || n.endsWith(".idx") ? n.substring(0, n.length() - 4) : n;
                    if (!live.contains(base)) {
                        closeCar(base);
                        Files.delete(p);
                        removed++;
                    }
                }
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
                for (Path p : ds) {
                    // Only files no import is still writing: older than an hour.
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minusSeconds(3600))) {
                        Files.delete(p);
                        removed++;
                    }
                }
            }
            return removed;
        });
    }

    /**
     * Re-verifies every stored CAR, and its index against it: a report for each CAR by name, and
     * for each damaged root file by its path under the store.
     */
    public Map<String, VerifyReport> verify() throws IOException {
        Map<String, VerifyReport> out = new LinkedHashMap<>();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (RootEntry e : list()) {
            names.add(e.car());
        }
        for (String n : names) {
            Path car = cars.resolve(n + ".car");
            VerifyReport r;
            if (!Files.isRegularFile(car)) {
                r = new VerifyReport(List.of(), 0, 0, List.of(new VerifyReport.Problem(Kind.IO, -1, null,
                        car + ": missing (a root refers to it)")), 0);
            } else {
                r = CarVerifier.withDefaults().verify(car, bytes -> { }); // by position, on every core
                if (r.ok()) {
                    String bad = checkIndex(n);
                    if (bad != null) {
                        r = new VerifyReport(r.roots(), r.blocks(), r.bytes(), List.of(new VerifyReport.Problem(
                                Kind.MALFORMED, -1, null, bad)), r.unknownCodecBlocks());
                    }
                }
            }
            out.put(n, r);
        }
        for (String d : damagedRoots()) {
            out.put(d.substring(0, d.indexOf(": damaged")), new VerifyReport(List.of(), 0, 0,
                    List.of(new VerifyReport.Problem(Kind.MALFORMED, -1, null, d)), 0));
        }
        return out;
    }

    /** Null if {@code NAME.idx} is exactly the index of {@code NAME.car}; else what differs. */
    private String checkIndex(String name) throws IOException {
        Path idx = cars.resolve(name + ".idx");
        String diff;
        try (BlockIndex.Builder entries = new BlockIndex.Builder()) {
            try (CarFile f = CarFile.open(cars.resolve(name + ".car"), CarReaderOptions.DEFAULTS.trusting())) {
                CarFile.Scan scan = f.scan();
                SectionRef r;
                while ((r = scan.next()) != null) {
                    entries.add(r.cid().multihash(), r.offset());
                }
            }
            closeCar(name);
            diff = BlockIndex.compare(idx, entries);
        }
        return diff == null ? null : idx + ": " + diff + " ('car import' of the CAR again rebuilds it)";
    }

    /**
     * Blocks of the store by CID: first in the CAR that holds {@code root}, then in every other
     * stored CAR, each by its index. Blocks are verified as they are read.
     */
    public BlockSource source(Cid preferredRoot) throws IOException {
        return new Following(preferredRoot);
    }

    /**
     * The store's blocks as they are now: the CARs to search are listed again when {@code roots/}
     * changes (an import or a removal renames a file there), checked at most once a second by
     * the directory's modification time, so a long-running reader (the gateway) sees imports
     * from its next request and stops finding removed roots, with no scan per request. A read
     * under way keeps its open CAR.
     */
    private final class Following extends View {
        private final Cid preferred;
        private volatile long checked;
        private volatile Object stamp;

        Following(Cid preferred) throws IOException {
            super(List.of(), 0);
            this.preferred = preferred;
            refresh(true);
        }

        private synchronized void refresh(boolean force) throws IOException {
            long now = System.nanoTime();
            if (!force && now - checked < 1_000_000_000L) {
                return;
            }
            checked = now;
            Object s = Files.isDirectory(roots) ? Files.getLastModifiedTime(roots) : "none";
            if (!force && s.equals(stamp)) {
                return;
            }
            stamp = s;
            List<String> o = new ArrayList<>();
            if (preferred != null && hasRoot(preferred)) {
                o.add(readRoot(rootFile(preferred)).car());
            }
            for (RootEntry e : list()) {
                if (!o.contains(e.car())) {
                    o.add(e.car());
                }
            }
            if (!o.equals(names)) {
                names = List.copyOf(o);
                generation++;
            }
        }

        @Override
        List<String> names() throws IOException {
            refresh(false);
            return names;
        }

        /** The CARs listed now, kept for one use however the store changes after. */
        @Override
        public BlockSource snapshot() {
            try {
                refresh(false);
            } catch (IOException e) {
                // keep the last list
            }
            return new View(names, generation);
        }
    }

    /**
     * Blocks of a list of the store's CARs, each found by its index. Like a CAR file source it
     * reads and hashes on a pool ({@link #fetch}) and reads a leaf's bytes straight into a
     * caller's (direct) buffer ({@link DataReader}), so {@code car get} and the gateway hash on
     * every core as {@code car extract} does.
     */
    private class View implements BlockSource, dev.cartool.block.DataReader, dev.cartool.block.FileRegions {
        volatile List<String> names;
        /** Moves each time the list of CARs changes (the following view), fixed in a snapshot. */
        volatile long generation;

        View(List<String> names, long generation) {
            this.names = names;
            this.generation = generation;
        }

        @Override
        public long generation() {
            return generation;
        }

        List<String> names() throws IOException {
            return names;
        }

        @Override
        public Block get(Cid cid) throws IOException {
            if (cid.isIdentity()) {
                return Block.of(cid, cid.multihash().digest());
            }
            Located at = locate(cid);
            return at == null ? null : at.source.read(at.ref, cid);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Block> fetch(Cid cid) {
            if (cid.isIdentity()) {
                return java.util.concurrent.CompletableFuture.completedFuture(Block.of(cid, cid.multihash().digest()));
            }
            try {
                Located at = locate(cid);
                return at == null ? java.util.concurrent.CompletableFuture.completedFuture(null)
                        : at.source.fetch(at.ref, cid);
            } catch (IOException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public java.util.concurrent.CompletableFuture<java.nio.ByteBuffer> readData(Cid cid, java.nio.ByteBuffer into) {
            try {
                if (cid.isIdentity()) {
                    return java.util.concurrent.CompletableFuture.completedFuture(identityData(cid, into));
                }
                Located at = locate(cid);
                return at == null ? java.util.concurrent.CompletableFuture.completedFuture(null)
                        : at.source.readData(at.ref, cid, into);
            } catch (IOException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        /** {@inheritDoc} Located and read on the store's pool: its indexes are read by position. */
        @Override
        public void readData(dev.cartool.block.DataReads reads) {
            reads.inTurn(pool(), () -> {
                // This run's own guess: where its last block ends, in that block's CAR (runs read
                // at once would spoil a shared one); the first from where the run before it ended.
                CarFileSource[] lastSource = {reads.startSource() instanceof CarFileSource ? (CarFileSource) reads.startSource() : null};
                long[] lastEnd = {reads.startOffset()};
                reads.readEach((i, cid, into) -> {
                    if (cid.isIdentity()) {
                        return identityData(cid, into);
                    }
                    CarFileSource src = lastSource[0];
                    SectionRef ref = src == null ? null : src.near(cid, lastEnd[0]);
                    if (ref == null) {
                        Located at = locate(cid);
                        if (at == null) {
                            return null;
                        }
                        src = at.source;
                        ref = at.ref;
                    }
                    lastSource[0] = src;
                    lastEnd[0] = ref.end();
                    return src.readDataNow(ref, cid, into);
                });
                reads.endedAt(lastSource[0], lastEnd[0]);
                reads.done().complete(null);
            });
        }

        /** An identity CID's bytes (its digest) in {@code into}, or in a buffer of their own if larger. */
        private java.nio.ByteBuffer identityData(Cid cid, java.nio.ByteBuffer into) {
            byte[] d = cid.multihash().digest();
            java.nio.ByteBuffer b = d.length <= into.capacity() ? into : java.nio.ByteBuffer.allocate(d.length);
            b.clear();
            b.put(d).flip();
            return b;
        }

        @Override
        public Region checkedRegion(Cid cid) throws IOException {
            Located at = cid.isIdentity() ? null : locate(cid);
            return at == null ? null : at.source.file().checkedRegion(at.ref);
        }

        @Override
        public long dataLength(Cid cid) throws IOException {
            if (cid.isIdentity()) {
                return -1;
            }
            for (String name : names()) {
                try {
                    long n = source(name).dataLength(cid);
                    if (n >= 0) {
                        return n;
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // removed since the list was made
                }
            }
            return -1;
        }

        /**
         * Finds a block's section on the calling thread: each CAR's index in turn, then the
         * section head, which must hold the block the index promised.
         */
        private Located locate(Cid cid) throws IOException {
            for (String name : names()) {
                CarFileSource src;
                try {
                    src = source(name);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed since the list was made
                }
                SectionRef ref;
                try {
                    ref = src.locate(cid);
                } catch (CarException e) {
                    throw new CarException(e.offset(), "store CAR " + name + ": " + e.getMessage(), e.kind(), e);
                }
                if (ref != null) {
                    return new Located(src, ref); // the CID asked for may be the v0 form of the v1 stored
                }
            }
            return null;
        }
    }

    private record Located(CarFileSource source, SectionRef ref) {
    }

    private Workers.Lane pool;

    /** Reads and hashes, as many at once as there are processors, on the shared workers. */
    private synchronized Workers.Lane pool() {
        if (pool == null) {
            pool = Workers.processors();
        }
        return pool;
    }

    private synchronized BlockIndex index(String name) throws IOException {
        BlockIndex i = openIndexes.get(name);
        if (i == null) {
            i = BlockIndex.open(cars.resolve(name + ".idx"));
            openIndexes.put(name, i);
        }
        return i;
    }

    /** A stored CAR's blocks, found through its index, read and hashed on the store's lane. */
    private synchronized CarFileSource source(String name) throws IOException {
        CarFileSource s = openSources.get(name);
        if (s == null) {
            BlockIndex index = index(name);
            s = CarFileSource.over(car(name), index, pool());
            openSources.put(name, s);
        }
        return s;
    }

    private synchronized CarFile car(String name) throws IOException {
        CarFile f = openCars.get(name);
        if (f == null) {
            f = CarFile.open(cars.resolve(name + ".car"));
            openCars.put(name, f);
        }
        return f;
    }

    private synchronized void closeCar(String name) throws IOException {
        openSources.remove(name); // over the file closed next: nothing of its own to close
        CarFile f = openCars.remove(name);
        if (f != null) {
            f.close();
        }
        BlockIndex i = openIndexes.remove(name);
        if (i != null) {
            i.close();
        }
    }

    @FunctionalInterface
    private interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs under the store lock: one JVM-wide lock, and a file lock between processes. */
    private <T> T withLock(Locked<T> body) throws IOException {
        JVM_LOCK.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = ch.lock()) {
            return body.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            JVM_LOCK.unlock();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (pool != null) {
            pool.cancel();
            pool = null;
        }
        for (String n : new ArrayList<>(openCars.keySet())) {
            closeCar(n);
        }
        for (BlockIndex i : openIndexes.values()) {
            i.close();
        }
        openIndexes.clear();
    }
}
