package dev.cartool.car;

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
 * whatever their order, in memory that grows by one 8-byte table slot a block (the table kept
 * at most 80% full) up to {@link TableMemory}'s limit, and in a temp file past it.
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
final class Completeness implements java.io.Closeable {
    /** Missing blocks past this many are counted, not listed. */
    static final int MAX_LISTED = 100;

    private final Fingerprints fingerprints = new Fingerprints();
    private final Fingerprints.Table seen = new Fingerprints.Table();
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
        long fp = fingerprints.of(cid.multihash());
        if (links.isEmpty()) {
            // A leaf (most blocks): closed on arrival, found and added in one probe.
            if (seen.addIfAbsent(fp, true)) {
                close(fp);
            }
            return;
        }
        if (seen.contains(fp)) {
            return;
        }
        Open node = null;
        Set<Long> counted = null;
        for (Cid child : links) {
            if (child.isIdentity()) {
                continue; // its block is in the CID
            }
            long c = fingerprints.of(child.multihash());
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
                    long p = fingerprints.of(parent.cid.multihash());
                    open.remove(p);
                    seen.add(p, true);
                    closing.push(p);
                }
            }
        }
    }

    /** Segments of the table in files (for tests). */
    int spilled() {
        return seen.spilled();
    }

    /** Frees the table's files, if it grew past its memory into any. */
    @Override
    public void close() {
        seen.close();
    }

    /** The problems of the DAG under {@code roots}: missing roots, then missing blocks (the first 100 named). */
    void check(List<Cid> roots, List<Problem> problems) {
        Set<Long> walked = new HashSet<>();
        long[] missing = {0};
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
                long c = fingerprints.of(child.multihash());
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
}
