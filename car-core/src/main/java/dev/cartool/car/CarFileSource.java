package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.BlockVerifier;
import dev.cartool.block.DataReader;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
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
public final class CarFileSource implements BlockSource, DataReader, Closeable {
    private final CarFile file;
    private final CarFile.Scan scan;
    private final Map<Multihash, SectionRef> index = new HashMap<>();
    private final Workers.Lane pool;
    private boolean scanDone;

    private CarFileSource(CarFile file, int threads) {
        this.file = file;
        this.scan = file.scan();
        this.pool = Workers.lane(threads);
    }

    /** Opens with the default (verifying) options and one reading thread per processor. */
    public static CarFileSource open(Path path) throws IOException {
        return open(path, CarReaderOptions.DEFAULTS, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param threads threads for {@link #fetch}; 0 reads on the calling thread
     */
    public static CarFileSource open(Path path, CarReaderOptions options, int threads) throws IOException {
        return new CarFileSource(CarFile.open(path, options), threads);
    }

    public CarHeader header() {
        return file.header();
    }

    public CarFile file() {
        return file;
    }

    /**
     * Where the block for {@code cid} is (matched by multihash), scanning forward if it has not
     * been seen yet; null if the file does not hold it.
     */
    public SectionRef locate(Cid cid) throws IOException {
        SectionRef ref = index.get(cid.multihash());
        while (ref == null && !scanDone) {
            SectionRef next = scan.next();
            if (next == null) {
                scanDone = true;
                break;
            }
            index.putIfAbsent(next.cid().multihash(), next);
            if (next.cid().multihash().equals(cid.multihash())) {
                ref = next;
            }
        }
        return ref;
    }

    /** Scans to the end of the file; afterwards the index holds every block. */
    public int indexAll() throws IOException {
        while (!scanDone) {
            SectionRef next = scan.next();
            if (next == null) {
                scanDone = true;
            } else {
                index.putIfAbsent(next.cid().multihash(), next);
            }
        }
        return index.size();
    }

    @Override
    public Block get(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        SectionRef ref = locate(cid);
        return ref == null ? null : withCid(file.read(ref), cid);
    }

    @Override
    public CompletableFuture<Block> fetch(Cid cid) {
        if (pool == null || cid.isIdentity()) {
            return BlockSource.super.fetch(cid);
        }
        return onPool(cid, ref -> withCid(file.read(ref), cid));
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
        return onPool(cid, ref -> {
            // A block larger than the caller expected (a DAG that lies about sizes) is read
            // into a buffer of its own, bounded by the section limit, for the caller to refuse.
            ByteBuffer target = ref.dataLength() > into.capacity() ? ByteBuffer.allocate((int) ref.dataLength()) : into;
            file.readData(ref, target);
            if (file.verifying()) {
                BlockVerifier.verify(cid, ref.offset(), target);
            }
            return target;
        });
    }

    /** A read of a located section. */
    @FunctionalInterface
    private interface SectionRead<T> {
        T read(SectionRef ref) throws IOException;
    }

    /**
     * Locates {@code cid} on the calling thread (the scan is not thread-safe) and runs the read on
     * the pool (or here, without one); completes with null when the file does not hold it.
     */
    /** Blocks smaller than this are read on the calling thread. */
    static final int INLINE_BELOW = 16 << 10;

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
        if (pool != null) {
            pool.cancel();
        }
        file.close();
    }
}
