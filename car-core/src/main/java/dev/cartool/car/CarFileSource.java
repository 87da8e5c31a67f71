package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.BlockVerifier;
import dev.cartool.block.DataReader;
import dev.cartool.block.DataReads;
import dev.cartool.block.FileRegions;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.io.Futures;
import dev.cartool.io.Text;
import dev.cartool.io.Workers;

/**
 * Blocks of a CAR file by CID, for DAG traversals in any block order.
 *
 * <p>The offset index is built lazily by one forward scan of the section heads: a block is
 * looked up in the index, and only if absent is the scan advanced until it appears. When the
 * blocks are in the order the traversal wants them (DFS, what {@code ipfs dag export} writes),
 * the scan stays just ahead of the reads and the file is read once, front to back. When the
 * root comes last (ipfs-car writes leaves first), the first lookup scans all heads, and every
 * read after that is positional. A block needed again (a file of zeros reuses one leaf) is
 * read again by offset. Memory holds one index entry per block, not the blocks.
 *
 * <p>{@link #fetch} reads and verifies on a pool of threads, so a traversal that asks for the
 * next leaves ahead of need hashes them on every core. Blocks are verified unless the options
 * trust the input.
 */
public final class CarFileSource implements BlockSource, DataReader, FileRegions, Closeable {
    private final CarFile file;
    /** The index given, or null: then the scan below fills {@link #scanned}. */
    private final CarIndex given;
    private final boolean ownsFile;
    /** A CARv2's own index: a block it does not list is still looked for by scanning. */
    private final boolean scanOnMiss;
    private CarFile.Scan scan;
    /** What the scan has passed: fingerprint -> section offset, 8 bytes a block. */
    private final Fingerprints fingerprints = new Fingerprints();
    private final Fingerprints.OffsetTable scanned = new Fingerprints.OffsetTable();
    private final Executor pool;
    private boolean scanDone;

    private CarFileSource(CarFile file, CarIndex given, Executor pool, boolean ownsFile) {
        this(file, given, pool, ownsFile, false);
    }

    private CarFileSource(CarFile file, CarIndex given, Executor pool, boolean ownsFile, boolean scanOnMiss) {
        this.scanOnMiss = scanOnMiss;
        this.file = file;
        this.given = given;
        this.pool = pool;
        this.ownsFile = ownsFile;
    }

    /**
     * A source over an open file whose blocks {@code index} locates (a store's index, a CARv2
     * index): nothing is scanned. Reads run on {@code pool} (null: on the calling thread). The
     * file stays the caller's: closing the source does not close it.
     */
    public static CarFileSource over(CarFile file, CarIndex index, Executor pool) {
        return new CarFileSource(file, java.util.Objects.requireNonNull(index, "index"), pool, false);
    }

    /** Opens with the default (verifying) options and one reading thread per processor. */
    public static CarFileSource open(Path path) throws IOException {
        return open(path, CarReaderOptions.DEFAULTS, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads threads for {@link #fetch}; 0 reads on the calling thread
     */
    public static CarFileSource open(Path path, CarReaderOptions options, int threads) throws IOException {
        CarFile file = CarFile.open(path, options);
        return new CarFileSource(file, v2Index(file), Workers.lane(threads), true, true);
    }

    /**
     * A CARv2's index as a {@link CarIndex} of file offsets; null if the file has none or it
     * cannot be read (then the file is scanned, and {@code verify} reports the index).
     */
    private static CarIndex v2Index(CarFile file) throws IOException {
        SortedIndex idx;
        try {
            idx = file.index();
        } catch (dev.cartool.error.CarException e) {
            return null;
        }
        if (idx == null) {
            return null;
        }
        long base = file.payloadOffset();
        return mh -> {
            long off = idx.offsetOf(mh);
            return off < 0 ? -1 : base + off;
        };
    }

    public CarHeader header() {
        return file.header();
    }

    public CarFile file() {
        return file;
    }

    /**
     * {@inheritDoc} From the index and the section head alone: the guess that the next section
     * is the one asked for (see {@link #locate}) would cost a read of a head that is not, and a
     * head read here is in this thread's window when the block is read next. An index that
     * points at the wrong section says -1 here; reading the block reports it.
     */
    @Override
    public long dataLength(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return -1;
        }
        Multihash mh = cid.multihash();
        if (given == null || (scanOnMiss && given.offsetOf(mh) < 0)) {
            SectionRef ref = locate(cid);
            return ref == null ? -1 : ref.dataLength();
        }
        long off = given.offsetOf(mh);
        SectionRef ref;
        try {
            ref = off >= file.dataStart() && off < file.size() ? file.section(off) : null;
        } catch (dev.cartool.error.CarException e) {
            return -1;
        }
        return ref != null && ref.cid().multihash().equals(mh) ? ref.dataLength() : -1;
    }

    /**
     * Where the block for {@code cid} is (matched by multihash), scanning forward if it has not
     * been seen yet; null if the file does not hold it.
     */
    public SectionRef locate(Cid cid) throws IOException {
        // Blocks are mostly asked for in the order a DFS export wrote them: the section after the
        // last one found is tried first, which saves the index lookup when it is the one. Without
        // an index, while the scan is under way, it saves the scan and its table too: the scan
        // moves only on a miss, so every section before it is in the table whatever was found
        // here ahead of it. A finished scan (a server's) answers from its table, as before.
        SectionRef ref = given != null || !scanDone ? near(cid, lastEnd) : null;
        if (ref == null) {
            ref = locateElsewhere(cid);
        }
        if (ref != null) {
            lastEnd = ref.end();
        }
        return ref;
    }

    /**
     * The section at {@code at}, or the one after it, if it holds the block for {@code cid}
     * (matched by multihash); null otherwise, and nothing else is tried. A reader going through a
     * file's leaves in order passes where the last one it found ends: the next leaf is there, or
     * one section on when the DAG's next interior node lies between them.
     */
    public SectionRef near(Cid cid, long at) {
        Multihash mh = cid.multihash();
        SectionRef next = sectionAt(at);
        if (next == null) {
            return null;
        }
        if (next.cid().multihash().equals(mh)) {
            return next;
        }
        SectionRef after = sectionAt(next.end());
        return after != null && after.cid().multihash().equals(mh) ? after : null;
    }

    /** As {@link #locate} without the guess: through the index, or scanning. */
    private SectionRef locateElsewhere(Cid cid) throws IOException {
        Multihash mh = cid.multihash();
        long off = given != null ? given.offsetOf(mh) : -1;
        if (off < 0 && given != null && !scanOnMiss) {
            return null;
        }
        if (off >= 0) {
            SectionRef ref;
            try {
                ref = off >= file.dataStart() && off < file.size() ? file.section(off) : null;
            } catch (dev.cartool.error.CarException e) {
                throw new MalformedCarException(off, "the index puts block " + cid + " at offset " + Text.n(off)
                        + ", where no section starts (" + e.getMessage() + ")");
            }
            if (ref == null) {
                throw new MalformedCarException(off, "the index puts block " + cid + " at offset " + Text.n(off)
                        + ", past the CAR's data");
            }
            if (!ref.cid().multihash().equals(mh)) {
                throw new MalformedCarException(off, "the index puts block " + cid + " at offset " + Text.n(off)
                        + ", where the section holds " + ref.cid());
            }
            return ref;
        }
        long fp = fingerprints.of(mh);
        SectionRef ref = scannedAt(fp, mh);
        while (ref == null && !scanDone) {
            SectionRef next = scan().next();
            if (next == null) {
                scanDone = true;
                break;
            }
            Multihash nm = next.cid().multihash();
            scanned.add(nm.equals(mh) ? fp : fingerprints.of(nm), next.offset());
            if (nm.equals(mh)) {
                ref = next;
            }
        }
        return ref;
    }

    /** A section the scan passed that holds {@code mh}: its candidates' heads are read and compared. */
    private SectionRef scannedAt(long fp, Multihash mh) throws IOException {
        SectionRef[] found = {null};
        scanned.find(fp, off -> {
            SectionRef r = file.section(off);
            if (r != null && r.cid().multihash().equals(mh)) {
                found[0] = r;
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Where the last section {@link #locate} found ends: the likeliest next one. */
    private volatile long lastEnd = -1;

    /** The section at {@code at}, or null if there is none or it does not read as one. */
    private SectionRef sectionAt(long at) {
        if (at < file.dataStart() || at >= file.size()) {
            return null;
        }
        try {
            return file.section(at);
        } catch (IOException | RuntimeException e) {
            return null; // the index decides, and names any damage
        }
    }

    private CarFile.Scan scan() {
        if (scan == null) {
            scan = file.scan();
        }
        return scan;
    }

    /**
     * Scans to the end of the file; afterwards the in-memory index holds every block. A source
     * over a given index has nothing to scan: it returns -1.
     */
    public int indexAll() throws IOException {
        if (given != null) {
            return -1;
        }
        while (!scanDone) {
            SectionRef next = scan().next();
            if (next == null) {
                scanDone = true;
            } else {
                scanned.add(fingerprints.of(next.cid().multihash()), next.offset());
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, scanned.size());
    }

    /** Sections the scan has passed and put in its table (for tests). */
    long scannedCount() {
        return scanned.size();
    }

    /** What this source looks blocks up in: the index given, or the one its scan has built so far. */
    public CarIndex index() {
        if (given != null) {
            return given;
        }
        return mh -> {
            SectionRef r = scannedAt(fingerprints.of(mh), mh);
            return r == null ? -1 : r.offset();
        };
    }

    @Override
    public Block get(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        SectionRef ref = locate(cid);
        return ref == null ? null : read(ref, cid);
    }

    /** The block of a section {@link #locate} found, read and verified, under the CID asked for. */
    public Block read(SectionRef ref, Cid cid) throws IOException {
        return withCid(file.read(ref), cid);
    }

    @Override
    public CompletableFuture<Block> fetch(Cid cid) {
        if (pool == null || cid.isIdentity()) {
            return BlockSource.super.fetch(cid);
        }
        return onPool(cid, ref -> read(ref, cid));
    }

    /** As {@link #fetch(Cid)} for a section already located (a union of sources locates first). */
    public CompletableFuture<Block> fetch(SectionRef ref, Cid cid) {
        return onPool(ref, r -> read(r, cid));
    }

    @Override
    public CompletableFuture<ByteBuffer> readData(Cid cid, ByteBuffer into) {
        if (cid.isIdentity()) {
            byte[] d = cid.multihash().digest();
            if (d.length > into.capacity()) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("buffer too small"));
            }
            into.clear();
            into.put(d).flip();
            return CompletableFuture.completedFuture(into);
        }
        return onPool(cid, ref -> readInto(ref, cid, into));
    }

    /** As {@link #readData(Cid, ByteBuffer)} for a section already located. */
    public CompletableFuture<ByteBuffer> readData(SectionRef ref, Cid cid, ByteBuffer into) {
        return onPool(ref, r -> readInto(r, cid, into));
    }

    /**
     * {@inheritDoc} Located and read on the pool when an index locates (a store's, a CARv2's: read
     * by position, so any thread may); with a scan, located here (the scan is this thread's) and
     * read and hashed there.
     */
    @Override
    public void readData(DataReads reads) {
        if (pool == null) {
            readNow(reads, null);
            return;
        }
        if (given != null && !scanOnMiss) {
            reads.inTurn(pool, () -> readNow(reads, null));
            return;
        }
        SectionRef[] refs = new SectionRef[reads.size()];
        for (int i = 0; i < refs.length; i++) {
            Cid cid = reads.cid(i);
            try {
                refs[i] = cid.isIdentity() ? null : locate(cid);
            } catch (IOException | RuntimeException e) {
                reads.failed(i, e);
            }
        }
        reads.inTurn(pool, () -> readNow(reads, refs));
    }

    /**
     * Does a run on this thread (never handed on: a pool thread waiting on the pool could wait for
     * ever), its blocks located already ({@code refs}) or here, each from where the last one
     * ended: runs read at once do not share a guess, and the first starts where the run before it
     * ended.
     */
    private void readNow(DataReads reads, SectionRef[] refs) {
        long[] near = {reads.startSource() == this ? reads.startOffset() : lastEnd};
        reads.readEach((i, cid, into) -> {
            if (cid.isIdentity()) {
                return Futures.await(readData(cid, into));
            }
            SectionRef ref = refs != null ? refs[i] : near(cid, near[0]);
            if (ref == null && refs == null) {
                ref = locateElsewhere(cid);
            }
            if (ref == null) {
                return null;
            }
            near[0] = ref.end();
            return readInto(ref, cid, into);
        });
        reads.endedAt(this, near[0]);
        reads.done().complete(null);
    }

    /**
     * Reads and checks a located section's bytes into {@code into} on this thread: what
     * {@link #readData(SectionRef, Cid, ByteBuffer)} completes with.
     */
    public ByteBuffer readDataNow(SectionRef ref, Cid cid, ByteBuffer into) throws IOException {
        return readInto(ref, cid, into);
    }

    private ByteBuffer readInto(SectionRef ref, Cid cid, ByteBuffer into) throws IOException {
        // A block larger than the caller expected (a DAG that lies about sizes) is read
        // into a buffer of its own, bounded by the section limit, for the caller to refuse.
        ByteBuffer target = ref.dataLength() > into.capacity() ? ByteBuffer.allocate((int) ref.dataLength()) : into;
        file.readData(ref, target);
        if (file.mustCheck(ref)) {
            BlockVerifier.verify(cid, ref.offset(), target);
            file.checked(ref);
        }
        return target;
    }

    @Override
    public FileRegions.Region checkedRegion(Cid cid) throws IOException {
        SectionRef ref = cid.isIdentity() ? null : locate(cid);
        return ref == null ? null : file.checkedRegion(ref);
    }

    /** A read of a located section. */
    @FunctionalInterface
    private interface SectionRead<T> {
        T read(SectionRef ref) throws IOException;
    }

    /** Blocks smaller than this are read and hashed on the calling thread (here and in ParallelVerifier). */
    static final int INLINE_BELOW = 16 << 10;

    /**
     * Locates {@code cid} on the calling thread (the scan and its table are not thread-safe) and
     * runs the read on the pool (or here, without one); completes with null when the file does
     * not hold it.
     */
    private <T> CompletableFuture<T> onPool(Cid cid, SectionRead<T> read) {
        SectionRef ref;
        try {
            ref = locate(cid);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (ref == null) {
            return CompletableFuture.completedFuture(null);
        }
        return onPool(ref, read);
    }

    private <T> CompletableFuture<T> onPool(SectionRef ref, SectionRead<T> read) {
        java.util.function.Supplier<T> task = () -> {
            try {
                return read.read(ref);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        // A small block is read and hashed here: handing it to another thread and waiting costs
        // more than the work (100,000 small files: one thread hand-off each was most of the time).
        if (pool == null || ref.dataLength() < INLINE_BELOW) {
            try {
                return CompletableFuture.completedFuture(task.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e instanceof UncheckedIOException ? e.getCause() : e);
            }
        }
        return CompletableFuture.supplyAsync(task, pool);
    }

    /** The block under the CID asked for (a CIDv0 link may find a block stored as CIDv1). */
    private static Block withCid(Block b, Cid cid) {
        return b.as(cid);
    }

    @Override
    public void close() throws IOException {
        scanned.close();
        if (ownsFile) {
            if (pool instanceof Workers.Lane) {
                ((Workers.Lane) pool).cancel();
            }
            file.close();
        }
    }
}
