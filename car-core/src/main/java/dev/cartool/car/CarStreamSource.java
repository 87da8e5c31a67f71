package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.BlockVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;

/**
 * Blocks of a CAR arriving on a stream (a pipe, standard input), for traversals in any order:
 * a request is served by reading forward to the block. Blocks passed over or already served are
 * kept in a cache bounded by bytes, so repeated blocks and small detours cost nothing. What the
 * cache evicts goes to a spool file when the source has one: a CAR whose root comes last (ipfs-car
 * writes leaves first) is then read whole, in memory bounded by the cache and one small entry per
 * spooled block. Without a spool an evicted block cannot be read again, and that is reported as
 * a stream in the wrong order.
 */
public final class CarStreamSource implements BlockSource, java.io.Closeable {
    /** Cache budget by default. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final BlockCursor cursor;
    private final long cacheBytes;
    private final LinkedHashMap<Multihash, Block> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Multihash> evicted = new HashSet<>();
    private long cached;
    private boolean eof;
    private final Path spoolDir;
    private final Runnable onSpool;
    private FileChannel spool;
    private long spooled;
    private final Map<Multihash, Spooled> spooledBlocks = new HashMap<>();

    private record Spooled(Cid cid, long at, int length) {
    }

    public CarStreamSource(BlockCursor cursor, long cacheBytes) {
        this(cursor, cacheBytes, null, null);
    }

    /**
     * @param spoolDir where evicted blocks are spooled (a temp file, deleted on close); null: none
     * @param onSpool called once, when the first block is spooled (to say so to the user)
     */
    public CarStreamSource(BlockCursor cursor, long cacheBytes, Path spoolDir, Runnable onSpool) {
        this.cursor = cursor;
        this.cacheBytes = cacheBytes;
        this.spoolDir = spoolDir;
        this.onSpool = onSpool;
    }

    /** Bytes of blocks written to the spool file so far. */
    public long spooledBytes() {
        return spooled;
    }

    public CarHeader header() {
        return cursor.header();
    }

    @Override
    public Block get(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        Multihash mh = cid.multihash();
        Block hit = cache.get(mh);
        if (hit != null) {
            return hit;
        }
        Spooled sp = spooledBlocks.get(mh);
        if (sp != null) {
            return readSpooled(sp);
        }
        if (evicted.contains(mh)) {
            throw new CarException(cursor.bytesRead(), "block " + cid + " was passed over in the stream and no longer "
                    + "fits the " + n(cacheBytes) + "-byte cache: the CAR is not in DFS order; read it from a file");
        }
        while (!eof) {
            Block b = cursor.next();
            if (b == null) {
                eof = true;
                break;
            }
            put(b);
            if (b.cid().multihash().equals(mh)) {
                return b;
            }
        }
        return null;
    }

    private Block readSpooled(Spooled sp) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(sp.length);
        while (buf.hasRemaining()) {
            if (spool.read(buf, sp.at + buf.position()) < 0) {
                throw new IOException("spool file ends early at " + (sp.at + buf.position()));
            }
        }
        Block b = Block.of(sp.cid, buf.array());
        BlockVerifier.verify(b); // our own temp file, but a disk can fail too
        return b;
    }

    private void put(Block b) throws IOException {
        Multihash mh = b.cid().multihash();
        if (cache.put(mh, b) == null) {
            cached += b.length();
        }
        Iterator<Map.Entry<Multihash, Block>> it = cache.entrySet().iterator();
        while (cached > cacheBytes && it.hasNext()) {
            Map.Entry<Multihash, Block> e = it.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            cached -= e.getValue().length();
            if (spoolDir != null) {
                spool(e.getValue());
            } else {
                evicted.add(e.getKey());
            }
            it.remove();
        }
    }

    private void spool(Block b) throws IOException {
        if (spooledBlocks.containsKey(b.cid().multihash())) {
            return;
        }
        if (spool == null) {
            Path f = java.nio.file.Files.createTempFile(spoolDir, "car-spool-", ".tmp");
            spool = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            java.nio.file.Files.deleteIfExists(f); // unlinked at once: nothing is left behind, even on a kill
            if (onSpool != null) {
                onSpool.run();
            }
        }
        ByteBuffer data = b.dataBuffer();
        long at = spooled;
        while (data.hasRemaining()) {
            spooled += spool.write(data, spooled);
        }
        spooledBlocks.put(b.cid().multihash(), new Spooled(b.cid(), at, b.length()));
    }

    @Override
    public void close() throws IOException {
        try {
            cursor.close();
        } finally {
            if (spool != null) {
                spool.close();
            }
        }
    }
}
