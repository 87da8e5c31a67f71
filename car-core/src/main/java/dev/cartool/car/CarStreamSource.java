package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;
import dev.cartool.io.Preads;

/**
 * Blocks of a CAR arriving on a stream (a pipe, standard input), for traversals in any order:
 * a request is served by reading forward to the block. Blocks passed over and blocks already
 * served share one budget of bytes, so repeated blocks and small detours cost nothing. Past the
 * budget, served blocks are dropped first (least recently used); blocks passed over, which a
 * traversal will still ask for, go to a spool file when the source has one: a CAR whose root
 * comes last (ipfs-car writes leaves first) is then read whole, in memory bounded by the budget
 * and one small entry per spooled block, while a CAR in DFS order never touches the disk. A
 * dropped block asked for again is an error that says so.
 */
public final class CarStreamSource implements BlockSource, java.io.Closeable {
    /** Cache budget by default. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final BlockCursor cursor;
    private final long cacheBytes;
    /**
     * Served blocks held at most, whatever their size: one for each KiB of the budget (65,536 by
     * default). Tiny blocks would otherwise fill the budget with hundreds of thousands of objects
     * that outlive the young generation, each dropped later by a full collection.
     */
    private final long maxServed;
    /** Blocks served already, least recently used first: dropped when the budget is short. */
    private final LinkedHashMap<Multihash, Block> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Blocks passed over on the way to another, not asked for yet: spooled when the budget is short. */
    private final LinkedHashMap<Multihash, Block> waiting = new LinkedHashMap<>();
    /** Blocks dropped from the budget and not spooled: 8 bytes each, to name one asked for again. */
    private final Fingerprints fingerprints = new Fingerprints();
    private final Fingerprints.Table evicted = new Fingerprints.Table();
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
        this.maxServed = Math.max(1024, cacheBytes >> 10);
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
        hit = waiting.remove(mh);
        if (hit != null) {
            cache.put(mh, hit); // served now: the budget it holds is unchanged
            return hit;
        }
        Spooled sp = spooledBlocks.get(mh);
        if (sp != null) {
            return readSpooled(sp);
        }
        if (evicted.size() > 0 && evicted.contains(fingerprints.of(mh))) {
            throw new CarException(cursor.bytesRead(), "block " + cid + " is needed again after more than the "
                    + n(cacheBytes) + "-byte cache of the stream has passed (the CAR repeats it far apart, or is not in "
                    + "DFS order and nothing can be spooled); read it from a file, or raise CAR_STREAM_CACHE");
        }
        while (!eof) {
            Block b = cursor.next();
            if (b == null) {
                eof = true;
                break;
            }
            boolean wanted = b.cid().multihash().equals(mh);
            put(b, wanted);
            if (wanted) {
                return b;
            }
        }
        return null;
    }

    private Block readSpooled(Spooled sp) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(sp.length);
        if (!Preads.readFully(spool, buf, sp.at)) {
            throw new IOException("spool file ends early at " + (sp.at + buf.position()));
        }
        // Verified when it arrived; the spool is an unlinked file only this process holds.
        return Block.of(sp.cid, buf.array());
    }

    /**
     * Takes a block read from the stream: served at once if {@code wanted}, else waiting. Then,
     * while over budget (or holding more served blocks than {@link #maxServed}), drops the least
     * recently served block, or (none left) spools the oldest waiting one: a block passed over is
     * needed later, a block served rarely is.
     */
    private void put(Block b, boolean wanted) throws IOException {
        Multihash mh = b.cid().multihash();
        if (cache.containsKey(mh) || waiting.containsKey(mh)) {
            return; // a repeated section: the block is held already
        }
        (wanted ? cache : waiting).put(mh, b);
        cached += cost(b);
        Iterator<Map.Entry<Multihash, Block>> served = cache.entrySet().iterator();
        while ((cached > cacheBytes || cache.size() > maxServed) && served.hasNext()) {
            Map.Entry<Multihash, Block> e = served.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            cached -= cost(e.getValue());
            evicted.add(fingerprints.of(e.getKey()), false);
            served.remove();
        }
        Iterator<Map.Entry<Multihash, Block>> passed = waiting.entrySet().iterator();
        while (cached > cacheBytes && passed.hasNext()) {
            Map.Entry<Multihash, Block> e = passed.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            cached -= cost(e.getValue());
            if (spoolDir != null) {
                spool(e.getValue());
            } else {
                evicted.add(fingerprints.of(e.getKey()), false);
            }
            passed.remove();
        }
    }

    /**
     * What a held block counts against the budget: its bytes, plus what holding it costs the heap
     * beyond them (the block, its CID and multihash, the map entry): a budget of tiny blocks is
     * otherwise mostly overhead (64 MiB of 64-byte blocks held 200 MB).
     */
    private static long cost(Block b) {
        return b.length() + 256L;
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
