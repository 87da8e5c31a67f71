package dev.cartool.car;

import java.io.IOException;
import java.util.List;

import dev.cartool.block.LinkBytes;
import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.Kind;

/**
 * Whether every block reachable from the roots is present, decided as the blocks stream by,
 * whatever their order, in memory that grows by one 8-byte table slot a block (the table kept
 * at most 80% full) up to {@link TableMemory}'s limit, and in a temp file past it; so do the
 * open blocks, below.
 *
 * <p>A block is <em>closed</em> when it and everything below it are present. A block whose
 * links all point at closed blocks closes on arrival (a leaf does at once); a block with links
 * to blocks not seen or not closed yet stays <em>open</em>, waiting on them, and closes when the
 * last of them does. Every block seen is remembered as a 63-bit fingerprint with a closed bit in
 * one open-addressing table of longs. Open blocks are few in DFS order (root first, as {@code ipfs
 * dag export} writes: the current path) and in post-order (leaves first, as ipfs-car writes), but
 * every parent is open when parents come first, and a whole chain in DFS order; so they are held
 * as fingerprints too, in tables that spill as the first does (open block -> how many children it
 * waits on, awaited child -> each open parent), and their links' CIDs in {@link LinkRecords},
 * read back only to name what is missing. At the end a root is complete if it is closed;
 * otherwise the open blocks under it lead to the missing ones, which are named with the block
 * that links to them. Blocks not reachable from a root never matter, as before.
 *
 * <p>Fingerprints are keyed with a random seed drawn per run, so no input can be made whose
 * missing block collides with a present one except by chance (about n^2 / 2^64 for n blocks).
 */
final class Completeness implements java.io.Closeable {
    /** Missing blocks past this many are counted, not listed. */
    static final int MAX_LISTED = 100;
    /** An open block's value: children waited on above these bits, its record below. */
    private static final int REF_BITS = 40;
    private static final long REF_MASK = (1L << REF_BITS) - 1;
    private static final long MAX_WAITING = (1L << (63 - REF_BITS)) - 1;

    private final Fingerprints fingerprints = new Fingerprints();
    /** What every table here holds in memory between them: one table's worth. */
    private final TableMemory.Budget budget = TableMemory.Budget.ofTable();
    private final Fingerprints.Table seen = new Fingerprints.Table(budget);
    /*
     * The open blocks' tables take at most an eighth of it (16 MiB by default): they are small in
     * DFS order and leaves first, and when parents come first, or in a deep chain, they spill
     * rather than take the heap past its bound beside the table of blocks seen. Sharing one
     * table's worth with it, they leave it less once it is near the limit: all of them together
     * never hold more than one table would. With the launchers' heap settings, 10 million blocks
     * parents first 296 -> 230 MiB (143 -> 182 s: more of it in files), a chain 11.6 million deep
     * 308 -> 241 MiB (one run each; docs/benchmarks.md).
     * The links' CIDs are read only at the end: appending them to a file costs little.
     */
    /** Open block -> children waited on (high bits) and its {@link LinkRecords} reference. */
    private final Fingerprints.PairTable open = new Fingerprints.PairTable(share(32));
    /** Block not closed yet (seen or not) -> each open block waiting on it. */
    private final Fingerprints.PairTable waiters = new Fingerprints.PairTable(share(16));
    private final LinkRecords records = new LinkRecords(share(32));

    /** A budget of {@code 1/part} of a table's worth, drawn from the one all share. */
    private TableMemory.Budget share(int part) {
        return new TableMemory.Budget(TableMemory.limit() / part, budget);
    }
    /** Fingerprints to close, as a stack (reused). */
    private long[] closing = new long[64];

    /** Blocks seen so far. */
    long size() {
        return seen.size();
    }

    /** Blocks held open now (for tests and reports). */
    long openBlocks() {
        return open.size();
    }

    /**
     * Takes a verified block's CID and its links (none for a leaf or a codec whose links are not
     * understood). A block seen before is ignored.
     *
     * @throws UnsupportedCarException if the block waits on more than 8,388,607 distinct blocks
     */
    void add(Cid cid, LinkBytes links) throws UnsupportedCarException {
        long fp = fingerprints.of(cid.multihash());
        int count = links.count();
        if (count == 0) {
            // A leaf (most blocks): closed on arrival, found and added in one probe.
            if (seen.addIfAbsent(fp, true)) {
                close(fp);
            }
            return;
        }
        // The links' fingerprints first, then each one's first slot read (Table.touch), then
        // the lookups, which find those slots in the cache: at 10 million blocks in DFS order
        // each link's lookup was a cache miss waited for alone (3.2 s of a 12 s verify).
        long[] fps = linkFingerprints(count);
        int k = 0;
        byte[] src = links.source();
        for (int i = 0; i < count; i++) {
            int at = links.at(i);
            long c = fingerprints.ofCid(src, at, at + links.length(i));
            if (c != 0) { // 0: an identity CID, whose block is in the CID
                fps[k++] = c;
            }
        }
        // A short loop, so that the CPU has many of its reads under way at once.
        long touched = seen.touch(fp);
        for (int j = 0; j < k; j++) {
            touched += seen.touch(fps[j]);
        }
        this.touched = touched;
        if (seen.contains(fp)) {
            return;
        }
        long waiting = 0;
        int mask = -1; // the links' distinct set, cleared when the first open child is met
        for (int j = 0; j < k; j++) {
            long c = fps[j];
            if (seen.isClosed(c)) {
                continue;
            }
            if (mask < 0) {
                mask = clearDistinct(count);
            }
            if (addDistinct(c, mask)) {
                waiters.add(c, fp);
                waiting++;
            }
        }
        if (waiting == 0) {
            seen.add(fp, true);
            close(fp);
            return;
        }
        if (waiting > MAX_WAITING) {
            throw new UnsupportedCarException(-1, 0, "block " + cid + " links to " + waiting
                    + " distinct blocks not yet seen; at most " + MAX_WAITING + " are followed");
        }
        seen.add(fp, false);
        open.add(fp, (waiting << REF_BITS) | records.add(cid, links));
    }

    /** One block's links' fingerprints (reused from block to block). */
    private long[] linkFps = new long[256];
    /** What {@link Fingerprints.Table#touch} read, kept so that the reads are made. */
    private long touched;

    private long[] linkFingerprints(int links) {
        if (linkFps.length < links || linkFps.length > Math.max(links, 1 << 16)) {
            linkFps = new long[Math.max(links, 256)]; // grown, or a huge block's given back
        }
        return linkFps;
    }

    /**
     * The distinct fingerprints among one block's links (a link given twice waits once): open
     * addressing over an array reused from block to block, 0 kept apart. A boxed hash set did
     * this before, a Long and a map node for each of 10 million links.
     */
    private long[] distinct = new long[64];
    private boolean distinctZero;

    /** Empties the set for a block of {@code links} links; returns the mask of the slots in use. */
    private int clearDistinct(int links) {
        int slots = Math.max(64, Integer.highestOneBit(links) << 2); // at most half full
        if (distinct.length < slots || distinct.length > Math.max(slots, 1 << 16)) {
            distinct = new long[slots]; // grown, or a huge block's given back
        } else {
            java.util.Arrays.fill(distinct, 0, slots, 0L);
        }
        distinctZero = false;
        return slots - 1;
    }

    /** Adds {@code c} (a fingerprint: its bits are mixed); false if it was there. */
    private boolean addDistinct(long c, int mask) {
        if (c == 0) {
            boolean first = !distinctZero;
            distinctZero = true;
            return first;
        }
        for (int i = (int) (c ^ (c >>> 32)) & mask; ; i = (i + 1) & mask) {
            long v = distinct[i];
            if (v == 0) {
                distinct[i] = c;
                return true;
            }
            if (v == c) {
                return false;
            }
        }
    }

    /** {@code fp} just closed: the blocks waiting on it may close too, and so on up. */
    private void close(long fp) {
        closing[0] = fp;
        closingTop = 1;
        while (closingTop > 0) {
            waiters.removeAll(closing[--closingTop], childClosed);
        }
    }

    private int closingTop;
    private final java.util.function.LongConsumer freeRecord = v -> records.free(v & REF_MASK);
    /** One of the blocks an open parent waits on closed: the parent closes when it was the last. */
    private final java.util.function.LongConsumer childClosed = parent -> {
        long v = open.get(parent);
        long left = (v >>> REF_BITS) - 1;
        if (left > 0) {
            open.set(parent, (left << REF_BITS) | (v & REF_MASK));
            return;
        }
        open.removeAll(parent, freeRecord);
        seen.add(parent, true);
        if (closingTop == closing.length) {
            closing = java.util.Arrays.copyOf(closing, closingTop * 2);
        }
        closing[closingTop++] = parent;
    };

    /**
     * Takes {@code bytes} from what the tables may hold, for memory held beside them for as long
     * (a CARv2's index sorted as it is checked), so that all of it together stays one table's worth.
     *
     * @return {@code bytes}
     */
    long reserve(long bytes) {
        budget.force(bytes);
        return bytes;
    }

    /** Waits of open blocks on blocks not yet come, one a parent and distinct child (for tests). */
    long waits() {
        return waiters.size();
    }

    /** Bytes the open blocks' tables and their records hold in memory (for tests). */
    long openMemory() {
        return open.memory() + waiters.memory() + records.heldBytes();
    }

    /** Bytes all the tables and records hold in memory (for tests). */
    long memory() {
        return seen.memory() + openMemory();
    }

    /** Segments of the table of blocks seen in files (for tests). */
    int spilled() {
        return seen.spilled();
    }

    /** Frees the tables' files, if they grew past their memory into any. */
    @Override
    public void close() {
        seen.close();
        open.close();
        waiters.close();
        try {
            records.close();
        } catch (IOException e) {
            // an unlinked temp file: closing frees it
        }
    }

    /** The problems of the DAG under {@code roots}: missing roots, then missing blocks (the first 100 named). */
    void check(List<Cid> roots, List<Problem> problems) throws IOException {
        long[] missing = {0};
        try (Fingerprints.Table walked = new Fingerprints.Table(budget)) {
            for (Cid root : roots) {
                long fp = fingerprints.of(root.multihash());
                if (!seen.contains(fp)) {
                    if (!root.isIdentity()) {
                        problems.add(new Problem(Kind.MISSING_ROOT, -1, root, "root " + root + " is not in the CAR"));
                    }
                    continue; // an identity root not in the CAR carries its block; its links are not known
                }
                if (!seen.isClosed(fp)) {
                    walk(fp, walked, problems, missing);
                }
            }
        }
        if (missing[0] > MAX_LISTED) {
            problems.add(new Problem(Kind.MISSING_BLOCK, -1, null, (missing[0] - MAX_LISTED)
                    + " more missing block(s) not listed"));
        }
    }

    /** From an open block down its open links, naming every link to a block not in the CAR. */
    private void walk(long start, Fingerprints.Table walked, List<Problem> problems, long[] missing) throws IOException {
        long[] todo = new long[64];
        int n = 0;
        if (walked.addIfAbsent(start, false)) {
            todo[n++] = start;
        }
        while (n > 0) {
            long v = open.get(todo[--n]);
            if (v == 0) {
                continue;
            }
            List<Cid> cids = records.read(v & REF_MASK);
            Cid node = cids.get(0);
            for (Cid child : cids.subList(1, cids.size())) {
                if (child.isIdentity()) {
                    continue;
                }
                long c = fingerprints.of(child.multihash());
                if (!walked.addIfAbsent(c, false) || seen.isClosed(c)) {
                    continue;
                }
                if (seen.contains(c)) {
                    if (n == todo.length) {
                        todo = java.util.Arrays.copyOf(todo, n * 2);
                    }
                    todo[n++] = c;
                } else if (++missing[0] <= MAX_LISTED) {
                    problems.add(new Problem(Kind.MISSING_BLOCK, -1, child, "block " + child
                            + " (linked from " + node + ") is not in the CAR"));
                }
            }
        }
    }
}
