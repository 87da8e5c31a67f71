package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import dev.cartool.block.LinkBytes;
import dev.cartool.car.VerifyReport.Problem;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.error.Kind;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The streaming check against a plain breadth-first walk, on random DAGs in random orders. */
class CompletenessProperties {
    @Property(tries = 300)
    void agreesWithAWalkFromTheRoots(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int order) throws java.io.IOException {
        agreesWithAWalk(n, seed, order);
    }

    /**
     * The same with the table of blocks seen in files: no memory for it, and 8 frames for its
     * pages. Past 3,328 blocks some segment has grown (64 segments of 52 entries at most before).
     */
    @Property(tries = 12)
    void agreesWithAWalkWhenItsTableIsInFiles(@ForAll @IntRange(min = 3400, max = 6000) int n, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int order) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("completeness-test");
        int frames = Slots.Pages.framesPerTable;
        TableMemory.set(0, dir);
        Slots.Pages.framesPerTable = 8;
        try {
            assertTrue(agreesWithAWalk(n, seed, order) > 0, "the table went to files");
        } finally {
            Slots.Pages.framesPerTable = frames;
            TableMemory.set(TableMemory.DEFAULT_LIMIT, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
            java.nio.file.Files.delete(dir);
        }
    }

    /**
     * Parents first (a root, 40 parents of 500 leaves each, then the leaves): every leaf is
     * awaited at once, and each parent's record held. Those tables and records keep to an eighth
     * of the table memory, spilling the rest, while the table of blocks seen stays in memory
     * (they must not take the heap past its bound beside it); the answers are the same.
     */
    @Example
    void openBlocksKeepToAnEighthOfTheTableMemory() throws java.io.IOException {
        long limit = 1 << 20;
        long[] held = parentsFirst(limit, 0);
        assertTrue(held[0] <= limit / 8, "open blocks held " + held[0] + " bytes");
        assertEquals(0, held[2], "the table of blocks seen stayed in memory");
    }

    /**
     * The same with less memory than the 20,041 blocks' table wants: the table of blocks seen
     * and the open blocks' tables share one table's worth, so together they never hold more, and
     * the table of blocks seen goes to files in part.
     */
    @Example
    void allTheTablesTogetherKeepToOneTablesMemory() throws java.io.IOException {
        long limit = 200 << 10;
        long[] held = parentsFirst(limit, 0);
        assertTrue(held[1] <= limit, "the tables held " + held[1] + " bytes");
        assertTrue(held[2] > 0, "the table of blocks seen went to files in part");
    }

    /**
     * A parent that links one block many times (a file of zeros: one leaf, 174 links to it) waits
     * on it once, and closes when it comes; one that links it besides others closes only when all
     * have come.
     */
    @Example
    void aBlockLinkedManyTimesIsWaitedOnOnce() throws java.io.IOException {
        Cid leaf = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {0});
        Cid other = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {1});
        Cid zeros = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, new byte[] {2});
        Cid mixed = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, new byte[] {3});
        List<Cid> sameLeaf = java.util.Collections.nCopies(5_000, leaf);
        List<Cid> both = new ArrayList<>(sameLeaf);
        both.add(other);
        try (Completeness c = new Completeness()) {
            c.add(zeros, LinkBytes.of(sameLeaf));
            c.add(mixed, LinkBytes.of(both));
            assertEquals(3, c.waits(), "each parent waits on the leaf once, the second on the other too");
            assertEquals(2, c.openBlocks());
            c.add(leaf, LinkBytes.of(List.of()));
            assertEquals(1, c.openBlocks(), "the zeros' parent closed with its one leaf");
            assertEquals(1, c.waits());
            c.add(other, LinkBytes.of(List.of()));
            assertEquals(0, c.openBlocks());
            List<Problem> problems = new ArrayList<>();
            c.check(List.of(zeros, mixed), problems);
            assertEquals(List.of(), problems);
        }
    }

    /** Memory reserved beside the tables (a CARv2's index sort) comes out of what they may hold. */
    @Example
    void whatIsReservedBesideTheTablesComesOutOfTheirMemory() throws java.io.IOException {
        long limit = 200 << 10;
        long reserved = 80 << 10;
        long[] held = parentsFirst(limit, reserved);
        assertTrue(held[1] <= limit - reserved, "the tables held " + held[1] + " bytes beside " + reserved + " reserved");
        assertTrue(held[2] > 0, "the table of blocks seen went to files in part");
    }

    /**
     * Checks a root over 40 parents of 500 leaves each, parents first, with a table memory of {@code
     * limit} of which {@code reserved} is taken first: once complete, once without one leaf (named
     * with its parent). Returns the
     * most the open blocks held in memory, the most all the tables did, and the segments of the
     * table of blocks seen in files at the end.
     */
    private static long[] parentsFirst(long limit, long reserved) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("completeness-test");
        TableMemory.set(limit, dir);
        long[] held = new long[3];
        try {
            List<Cid> parents = new ArrayList<>();
            List<List<Cid>> leaves = new ArrayList<>();
            for (int p = 0; p < 40; p++) {
                List<Cid> mine = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    mine.add(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {(byte) p, (byte) i, (byte) (i >> 8)}));
                }
                leaves.add(mine);
                parents.add(Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, new byte[] {(byte) p, 1}));
            }
            Cid root = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, new byte[] {9, 9});
            Cid lost = leaves.get(17).get(250);
            for (boolean whole : new boolean[] {false, true}) {
                List<Problem> problems = new ArrayList<>();
                try (Completeness c = new Completeness()) {
                    assertEquals(reserved, c.reserve(reserved));
                    c.add(root, LinkBytes.of(parents));
                    for (int p = 0; p < 40; p++) {
                        c.add(parents.get(p), LinkBytes.of(leaves.get(p)));
                        held[0] = Math.max(held[0], c.openMemory());
                        held[1] = Math.max(held[1], c.memory());
                    }
                    assertEquals(41, c.openBlocks());
                    for (List<Cid> mine : leaves) {
                        for (Cid leaf : mine) {
                            if (whole || !leaf.equals(lost)) {
                                c.add(leaf, LinkBytes.of(List.of()));
                                held[1] = Math.max(held[1], c.memory());
                            }
                        }
                    }
                    held[2] = c.spilled();
                    c.check(List.of(root), problems);
                }
                if (whole) {
                    assertEquals(List.of(), problems);
                } else {
                    assertEquals(1, problems.size(), problems.toString());
                    assertEquals(lost, problems.get(0).cid());
                    assertTrue(problems.get(0).message().contains("linked from " + parents.get(17)), problems.get(0).message());
                }
            }
        } finally {
            TableMemory.set(TableMemory.DEFAULT_LIMIT, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
            java.nio.file.Files.delete(dir);
        }
        return held;
    }

    /** Returns how many of the table's segments were in files. */
    private static int agreesWithAWalk(int n, long seed, int order) throws java.io.IOException {
        Random r = new Random(seed);
        List<Cid> cids = new ArrayList<>();
        java.util.Map<Cid, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            cids.add(Cid.of(i % 3 == 0 ? Multicodec.RAW : Multicodec.DAG_CBOR, i % 2 == 0 ? Multicodec.SHA2_256
                    : Multicodec.BLAKE2B_256, new byte[] {(byte) i, (byte) (i >> 8), 7}));
            index.put(cids.get(i), i);
        }
        // Links only to later nodes (a DAG, as hashes make every CAR's), sometimes repeated.
        List<List<Cid>> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Cid> out = new ArrayList<>();
            int k = r.nextInt(4);
            for (int j = 0; j < k && i + 1 < n; j++) {
                out.add(cids.get(i + 1 + r.nextInt(n - i - 1)));
            }
            links.add(out);
        }
        Set<Integer> absent = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (r.nextInt(Math.max(6, n / 10)) == 0) { // a few in a large DAG: each is named, not counted
                absent.add(i);
            }
        }
        List<Cid> roots = new ArrayList<>(List.of(cids.get(0)));
        if (n > 3 && r.nextBoolean()) {
            roots.add(cids.get(r.nextInt(n)));
        }
        List<Integer> arrival = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!absent.contains(i)) {
                arrival.add(i);
            }
        }
        switch (order) {
            case 0: break; // parents first (DFS-like)
            case 1: Collections.reverse(arrival); break; // leaves first
            default: Collections.shuffle(arrival, r);
        }
        if (!arrival.isEmpty() && r.nextBoolean()) {
            arrival.add(arrival.get(r.nextInt(arrival.size()))); // a repeated block
        }
        List<Problem> problems = new ArrayList<>();
        int spilled;
        Completeness c = new Completeness();
        try (c) {
            for (int i : arrival) {
                c.add(cids.get(i), LinkBytes.of(links.get(i)));
            }
            c.check(roots, problems);
            spilled = c.spilled();
        }

        // The oracle: a walk from the roots over the present blocks.
        Set<String> wantRoots = new TreeSet<>();
        Set<String> wantMissing = new TreeSet<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Integer> q = new ArrayDeque<>();
        for (Cid root : roots) {
            int i = index.get(root);
            if (absent.contains(i)) {
                wantRoots.add(root.toString());
            } else {
                q.add(i);
            }
        }
        while (!q.isEmpty()) {
            int i = q.poll();
            if (!visited.add(i)) {
                continue;
            }
            for (Cid child : links.get(i)) {
                int j = index.get(child);
                if (absent.contains(j)) {
                    wantMissing.add(child.toString());
                } else {
                    q.add(j);
                }
            }
        }
        Set<String> gotRoots = new TreeSet<>();
        Set<String> gotMissing = new TreeSet<>();
        for (Problem p : problems) {
            (p.kind() == Kind.MISSING_ROOT ? gotRoots : gotMissing).add(p.cid().toString());
        }
        assertEquals(wantRoots, gotRoots);
        assertEquals(wantMissing, gotMissing);
        if (absent.isEmpty()) {
            assertEquals(0, c.openBlocks(), "a whole DAG leaves nothing open, in any order");
        }
        return spilled;
    }
}
