package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;

/**
 * Blocks of a CAR arriving on a stream (a pipe, standard input), for traversals in any order:
 * a request is served by reading forward to the block. Blocks passed over and blocks already
 * served share one budget of bytes, so repeated blocks and small detours cost nothing. Past the
 * budget, served blocks are dropped first (least recently used); blocks passed over, which a
 * traversal will still ask for, go to a spool file when the source has one: a CAR whose root
 * comes last (ipfs-car writes leaves first) is then read whole, in memory bounded by the budget
 * and 10-15 bytes per spooled block ({@link BlockSpool}). A CAR in DFS order spools only small
 * blocks already served, dropped for the count of blocks held rather than for their bytes (see
 * {@link #maxHeld}); one of large blocks never touches the disk. A block dropped and not spooled,
 * asked for again, is an error that says so.
 */
public final class CarStreamSource implements BlockSource, java.io.Closeable {
    /** Cache budget by default. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final BlockCursor cursor;
    private final long cacheBytes;
    /**
     * Blocks held at most, whatever their size. Tiny blocks would otherwise fill the budget with
     * hundreds of thousands of objects that outlive the young generation, each dropped later by a
     * full collection (a 10-million-block CAR on a pipe: 161 full collections, about 27 s of 107).
     * With a spool: one for each 256 KiB of the budget (256 by default, as many as 256 KiB leaves
     * fill it), served and waiting together, and a block dropped for the count alone (the budget's
     * bytes not spent) is spooled, not forgotten, so a tiny block repeated far apart is still
     * found, up to {@link #countSpoolLeft}. Each young collection copies every block held (a
     * 10-million-block CAR in DFS order on a pipe, alternating runs: 4,096 -> 1,024 held 18.2 ->
     * 14.3 s, 1,024 -> 256 14.8 -> 13.5 s). Without a spool: served blocks only, one for each KiB
     * (65,536).
     */
    private final long maxHeld;
    /**
     * Bytes of served blocks the spool may still take for the count: 16 times the budget (1 GiB
     * by default), so a DFS CAR of small blocks on a pipe does not copy itself whole into the temp
     * directory; past it they are forgotten, as blocks dropped for the budget's bytes are.
     */
    private long countSpoolLeft;
    /** Blocks served already, least recently used first: dropped when the budget is short. */
    private final LinkedHashMap<Multihash, Block> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Blocks passed over on the way to another, not asked for yet: spooled when the budget is short. */
    private final LinkedHashMap<Multihash, Block> waiting = new LinkedHashMap<>();
    /** Keys the forgotten blocks' fingerprints and the spool's: a lookup that misses both computes one. */
    private final Fingerprints fingerprints = new Fingerprints();
    /** A parent's links, read ahead in the spool (reused). */
    private final dev.cartool.block.LinkBytes aheadLinks = new dev.cartool.block.LinkBytes();
    /** Blocks dropped from the budget and not spooled: 8 bytes each, to name one asked for again. */
    private final Fingerprints.Table evicted = new Fingerprints.Table();
    private long cached;
    private boolean eof;
    private final Path spoolDir;
    private final Runnable onSpool;
    private BlockSpool spool;
    private boolean toldSpooling;

    public CarStreamSource(BlockCursor cursor, long cacheBytes) {
        this(cursor, cacheBytes, null, null);
    }

    /**
     * @param spoolDir where evicted blocks are spooled (a temp file, deleted on close); null: none
     * @param onSpool called once, when the first block passed over is spooled (to say so to the user)
     */
    public CarStreamSource(BlockCursor cursor, long cacheBytes, Path spoolDir, Runnable onSpool) {
        this(cursor, cacheBytes, spoolDir, onSpool, cacheBytes > Long.MAX_VALUE / 16 ? Long.MAX_VALUE : 16 * cacheBytes);
    }

    /** As above, with the bytes of blocks dropped for the count the spool may take. */
    CarStreamSource(BlockCursor cursor, long cacheBytes, Path spoolDir, Runnable onSpool, long countSpoolBytes) {
        this.cursor = cursor;
        this.cacheBytes = cacheBytes;
        this.maxHeld = Math.max(256, cacheBytes >> (spoolDir != null ? 18 : 10));
        this.countSpoolLeft = spoolDir != null ? countSpoolBytes : 0;
        this.spoolDir = spoolDir;
        this.onSpool = onSpool;
    }

    /** Bytes of blocks written to the spool file so far. */
    public long spooledBytes() {
        return spool == null ? 0 : spool.blockBytes();
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
        // In a CAR in DFS order the block asked for is most often the stream's next: read that
        // one before asking the spool, whose lookup is a miss into a table of every block spooled
        // (an extract of 10 million tiny blocks on a pipe: 1,588 of 12,971 samples in its find).
        if (!eof && (hit = forward(mh)) != null) {
            return hit;
        }
        long fp = spool != null || evicted.size() > 0 ? fingerprints.of(mh) : 0;
        if (spool != null && (hit = spool.get(mh, fp)) != null) {
            if (eof && dev.cartool.block.Links.canLink(hit.cid().codec())) {
                // A parent from the spool (of any codec with links): its links are asked for
                // next, one by one, and each is in the spool too (the stream is read to its end).
                // A leaves-first CAR of 10 million tiny blocks on a pipe: the lookups' misses
                // 2,772 -> 1,275 samples, the reads ahead 706 (docs/benchmarks.md).
                try {
                    dev.cartool.block.Links.bytesOf(hit, aheadLinks);
                    spool.touch(aheadLinks);
                } catch (dev.cartool.block.MalformedBlockException e) {
                    // not read ahead: the traversal that decodes it says what is wrong
                }
            }
            return hit;
        }
        if (evicted.size() > 0 && evicted.contains(fp)) {
            throw new CarException(cursor.bytesRead(), "block " + cid + " is needed again after more than the "
                    + n(cacheBytes) + "-byte cache of the stream has passed (the CAR repeats it far apart, or is not in "
                    + "DFS order and nothing can be spooled); read it from a file, or raise CAR_STREAM_CACHE");
        }
        while (!eof) {
            if ((hit = forward(mh)) != null) {
                return hit;
            }
        }
        return null;
    }

    /** Reads the stream's next block: returned if it is {@code mh}'s, else held as passed over; null at the end too. */
    private Block forward(Multihash mh) throws IOException {
        Block b = cursor.next();
        if (b == null) {
            eof = true;
            return null;
        }
        boolean wanted = b.cid().multihash().equals(mh);
        put(b, wanted);
        return wanted ? b : null;
    }

    /**
     * Takes a block read from the stream: served at once if {@code wanted}, else waiting. Then,
     * while over budget or holding more blocks than {@link #maxHeld}, drops the least recently
     * served block, or (none left) spools the oldest waiting one: a block passed over is needed
     * later, a block served rarely is.
     */
    private void put(Block b, boolean wanted) throws IOException {
        Multihash mh = b.cid().multihash();
        if (cache.containsKey(mh) || waiting.containsKey(mh)) {
            return; // a repeated section: the block is held already
        }
        (wanted ? cache : waiting).put(mh, b);
        cached += cost(b);
        Iterator<Map.Entry<Multihash, Block>> served = cache.entrySet().iterator();
        while ((cached > cacheBytes || held() > maxHeld) && served.hasNext()) {
            Map.Entry<Multihash, Block> e = served.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            if (cached <= cacheBytes && countSpoolLeft >= e.getValue().length()) {
                countSpoolLeft -= e.getValue().length();
                spool(e.getValue(), false); // dropped for the count: small, and cheap to keep
            } else {
                evicted.add(fingerprints.of(e.getKey()), false);
            }
            cached -= cost(e.getValue());
            served.remove();
        }
        Iterator<Map.Entry<Multihash, Block>> passed = waiting.entrySet().iterator();
        while ((cached > cacheBytes || held() > maxHeld) && passed.hasNext()) {
            Map.Entry<Multihash, Block> e = passed.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            cached -= cost(e.getValue());
            if (spoolDir != null) {
                spool(e.getValue(), true);
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

    /** Blocks held: served and waiting with a spool; served only without (waiting blocks have nowhere to go). */
    private long held() {
        return spoolDir != null ? cache.size() + waiting.size() : cache.size();
    }

    /** Spools {@code b}; the first block {@code passedOver} on the way to another is said to the user. */
    private void spool(Block b, boolean passedOver) throws IOException {
        if (spool == null) {
            spool = new BlockSpool(spoolDir, fingerprints);
        }
        if (passedOver && !toldSpooling) {
            toldSpooling = true;
            if (onSpool != null) {
                onSpool.run();
            }
        }
        spool.add(b);
    }

    @Override
    public void close() throws IOException {
        try {
            cursor.close();
        } finally {
            evicted.close();
            if (spool != null) {
                spool.close();
            }
        }
    }
}
