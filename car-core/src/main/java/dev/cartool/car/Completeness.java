package dev.cartool.car;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.Kind;

/**
 * Whether every block reachable from the roots is present, decided as the blocks stream by,
 * whatever their order, in memory that grows by about 12 bytes a block.
 *
 * <p>A block is <em>closed</em> when it and everything below it are present. A block whose
 * links all point at closed blocks closes on arrival (a leaf does at once); a block with links
 * to blocks not seen or not closed yet stays <em>open</em>, waiting on them, and closes when the
 * last of them does. Only open blocks are held with their links: in DFS order (root first, as
 * {@code ipfs dag export} writes) that is the current path, and in post-order (leaves first, as
 * ipfs-car writes) almost nothing. Every block seen is remembered as a 63-bit fingerprint with a
 * closed bit in one open-addressing table of longs. At the end a root is complete if it is closed;
 * otherwise the open blocks under it lead to the missing ones, which are named with the block that
 * links to them. Blocks not reachable from a root never matter, as before.
 *
 * <p>Fingerprints are keyed with a random seed drawn per run, so no input can be made whose
 * missing block collides with a present one except by chance (about n^2 / 2^64 for n blocks).
 */
final class Completeness {
    /** Missing blocks past this many are counted, not listed. */
    static final int MAX_LISTED = 100;

    private final long seed0;
    private final long seed1;
    private final FingerprintTable seen = new FingerprintTable();
    private final Map<Long, Open> open = new HashMap<>();
    /** Fingerprint of a block not closed yet (seen or not) -> the open blocks waiting on it. */
    private final Map<Long, Object> waiters = new HashMap<>();

    /** A block with links to blocks not closed yet. */
    private static final class Open {
        final Cid cid;
        final List<Cid> links;
        int waiting;

        Open(Cid cid, List<Cid> links) {
            this.cid = cid;
            this.links = links;
        }
    }

    Completeness() {
        SecureRandom r = new SecureRandom();
        this.seed0 = r.nextLong();
        this.seed1 = r.nextLong() | 1;
    }

    /** Blocks seen so far. */
    long size() {
        return seen.size();
    }

    /** Blocks held open now (for tests and reports). */
    int openBlocks() {
        return open.size();
    }

    /**
     * Takes a verified block's CID and its links (an empty list for a leaf or a codec whose
     * links are not understood). A block seen before is ignored.
     */
    void add(Cid cid, List<Cid> links) {
        long fp = fingerprint(cid.multihash());
        if (seen.contains(fp)) {
            return;
        }
        Open node = null;
        Set<Long> counted = null;
        for (Cid child : links) {
            if (child.isIdentity()) {
                continue; // its block is in the CID
            }
            long c = fingerprint(child.multihash());
            if (seen.isClosed(c)) {
                continue;
            }
            if (node == null) {
                node = new Open(cid, links);
                counted = new HashSet<>();
            }
            if (counted.add(c)) {
                node.waiting++;
                addWaiter(c, node);
            }
        }
        if (node == null) {
            seen.add(fp, true);
            close(fp);
        } else {
            seen.add(fp, false);
            open.put(fp, node);
        }
    }

    private void addWaiter(long child, Open node) {
        Object w = waiters.get(child);
        if (w == null) {
            waiters.put(child, node);
        } else if (w instanceof Open) {
            List<Open> list = new ArrayList<>(2);
            list.add((Open) w);
            list.add(node);
            waiters.put(child, list);
        } else {
            @SuppressWarnings("unchecked")
            List<Open> list = (List<Open>) w;
            list.add(node);
        }
    }

    /** {@code fp} just closed: the blocks waiting on it may close too, and so on up. */
    private void close(long fp) {
        Deque<Long> closing = new ArrayDeque<>();
        closing.push(fp);
        while (!closing.isEmpty()) {
            Object w = waiters.remove(closing.pop());
            if (w == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            List<Open> list = w instanceof Open ? List.of((Open) w) : (List<Open>) w;
            for (Open parent : list) {
                if (--parent.waiting == 0) {
                    long p = fingerprint(parent.cid.multihash());
                    open.remove(p);
                    seen.add(p, true);
                    closing.push(p);
                }
            }
        }
    }

    /** The problems of the DAG under {@code roots}: missing roots, then missing blocks (the first 100 named). */
    void check(List<Cid> roots, List<Problem> problems) {
        Set<Long> walked = new HashSet<>();
        long[] missing = {0};
        for (Cid root : roots) {
            long fp = fingerprint(root.multihash());
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
        if (missing[0] > MAX_LISTED) {
            problems.add(new Problem(Kind.MISSING_BLOCK, -1, null, (missing[0] - MAX_LISTED)
                    + " more missing block(s) not listed"));
        }
    }

    /** From an open block down its open links, naming every link to a block not in the CAR. */
    private void walk(long start, Set<Long> walked, List<Problem> problems, long[] missing) {
        Deque<Long> todo = new ArrayDeque<>();
        todo.push(start);
        walked.add(start);
        while (!todo.isEmpty()) {
            Open node = open.get(todo.pop());
            if (node == null) {
                continue;
            }
            for (Cid child : node.links) {
                if (child.isIdentity()) {
                    continue;
                }
                long c = fingerprint(child.multihash());
                if (!walked.add(c) || seen.isClosed(c)) {
                    continue;
                }
                if (seen.contains(c)) {
                    todo.push(c);
                } else if (++missing[0] <= MAX_LISTED) {
                    problems.add(new Problem(Kind.MISSING_BLOCK, -1, child, "block " + child
                            + " (linked from " + node.cid + ") is not in the CAR"));
                }
            }
        }
    }

    /** 63 bits of a keyed mix of the multihash (code and digest); bit 0 is left for the table. */
    long fingerprint(Multihash mh) {
        byte[] d = mh.digest();
        long h = seed0 ^ (mh.code() * 0x9E3779B97F4A7C15L);
        long k = seed1;
        for (int i = 0; i < d.length; i += 8) {
            long w = 0;
            for (int j = i; j < Math.min(d.length, i + 8); j++) {
                w = (w << 8) | (d[j] & 0xff);
            }
            h = mix(h ^ (w * k));
            k += 0x632BE59BD9B4E019L;
        }
        h = mix(h ^ d.length);
        return (h << 1) == 0 ? 2 : h << 1; // never 0: 0 marks an empty slot
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Fingerprints (bit 0 clear) with a closed flag in bit 0, by linear probing in long arrays: 8
     * bytes a slot, at most 80% full. The table is 64 segments chosen by the fingerprint's top
     * bits, each grown by half again when full, so growing never holds two copies of the whole
     * table (at 10 million blocks the peak is the table plus one sixty-fourth of it).
     */
    static final class FingerprintTable {
        private static final int SEGMENTS = 64;
        private final long[][] segments = new long[SEGMENTS][];
        private final int[] sizes = new int[SEGMENTS];
        private long size;

        FingerprintTable() {
            for (int i = 0; i < SEGMENTS; i++) {
                segments[i] = new long[64];
            }
        }

        long size() {
            return size;
        }

        boolean contains(long fp) {
            long[] seg = segments[(int) (fp >>> 58)];
            return seg[slot(seg, fp)] != 0;
        }

        boolean isClosed(long fp) {
            long[] seg = segments[(int) (fp >>> 58)];
            long v = seg[slot(seg, fp)];
            return v != 0 && (v & 1) != 0;
        }

        /** Adds {@code fp}, or sets its closed flag if it is there. */
        void add(long fp, boolean closed) {
            int s = (int) (fp >>> 58);
            long[] seg = segments[s];
            int i = slot(seg, fp);
            if (seg[i] == 0) {
                size++;
                if (++sizes[s] * 5L > seg.length * 4L) {
                    seg = grow(s);
                    i = slot(seg, fp);
                }
            }
            seg[i] = fp | (closed ? 1 : 0);
        }

        /** The slot holding {@code fp}, or the empty slot where it would go. */
        private static int slot(long[] seg, long fp) {
            int n = seg.length;
            int i = (int) (((fp >>> 26) & 0xFFFFFFFFL) * n >>> 32); // bits below the segment's, scaled to n
            while (seg[i] != 0 && (seg[i] & ~1L) != fp) {
                if (++i == n) {
                    i = 0;
                }
            }
            return i;
        }

        private long[] grow(int s) {
            long[] old = segments[s];
            long[] seg = new long[old.length + (old.length >> 1)];
            for (long v : old) {
                if (v != 0) {
                    seg[slot(seg, v & ~1L)] = v;
                }
            }
            segments[s] = seg;
            return seg;
        }
    }
}
