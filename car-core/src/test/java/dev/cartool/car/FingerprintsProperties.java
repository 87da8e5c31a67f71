package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The fingerprint tables through many growths: every entry found, nothing else. */
class FingerprintsProperties {
    @Property(tries = 20)
    void tablesFindWhatWasAddedAcrossGrowth(@ForAll @IntRange(min = 0, max = 30000) int n, @ForAll long seed) throws IOException {
        tablesFindWhatWasAdded(n, seed, TableMemory.DEFAULT_LIMIT);
    }

    /**
     * The same with tables that outgrow their memory: with none, every segment past its first
     * 64 slots goes to a file; with some, the segments that grow last do. Their pages have 4 to
     * 64 frames, so pages are written back and read again all the time.
     */
    @Property(tries = 20)
    void tablesPastTheirMemoryFindWhatWasAdded(@ForAll @IntRange(min = 0, max = 30000) int n, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 400_000) int limit, @ForAll @IntRange(min = 2, max = 6) int frameBits)
            throws IOException {
        int frames = Slots.Pages.framesPerTable;
        Slots.Pages.framesPerTable = 1 << frameBits;
        try {
            tablesFindWhatWasAdded(n, seed, limit);
        } finally {
            Slots.Pages.framesPerTable = frames;
        }
    }

    private void tablesFindWhatWasAdded(int n, long seed, long limit) throws IOException {
        Random r = new Random(seed);
        Fingerprints f = new Fingerprints();
        Path spillDir = Files.createTempDirectory("table-test");
        TableMemory.set(limit, spillDir);
        try (Fingerprints.Table table = new Fingerprints.Table();
                Fingerprints.OffsetTable offsets = new Fingerprints.OffsetTable()) {
            checkTables(n, r, f, table, offsets, limit);
        } finally {
            TableMemory.set(TableMemory.DEFAULT_LIMIT, Path.of(System.getProperty("java.io.tmpdir")));
            try (var left = Files.list(spillDir)) {
                assertEquals(0, left.count(), "the tables' files are unlinked as they are made");
            }
            Files.delete(spillDir);
        }
    }

    private void checkTables(int n, Random r, Fingerprints f, Fingerprints.Table table,
            Fingerprints.OffsetTable offsets, long limit) throws IOException {
        Map<Long, Long> offsetOf = new HashMap<>(); // offset -> fingerprint, as a section head would tell
        Multihash[] mhs = new Multihash[n];
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[32];
            r.nextBytes(d);
            mhs[i] = Multihash.of(Multicodec.SHA2_256, d);
            long fp = f.of(mhs[i]);
            if (i % 3 == 0) {
                assertTrue(table.addIfAbsent(fp, i % 2 == 0), "new");
                assertFalse(table.addIfAbsent(fp, i % 2 != 0), "present: not added again, flag kept");
            } else {
                table.add(fp, i % 2 == 0);
            }
            offsets.add(fp, 100L + i);
            offsetOf.put(100L + i, fp);
        }
        assertEquals(n, table.size());
        assertEquals(n, offsets.size());
        for (int i = 0; i < n; i++) {
            long fp = f.of(mhs[i]);
            assertTrue(table.contains(fp));
            assertEquals(i % 2 == 0, table.isClosed(fp));
            // The check reads "the section": it holds this block only at its own offset.
            assertEquals(100L + i, offsets.find(fp, off -> offsetOf.get(off) == fp));
        }
        byte[] d = new byte[32];
        for (int i = 0; i < 100; i++) {
            r.nextBytes(d);
            long fp = f.of(Multihash.of(Multicodec.SHA2_256, d));
            assertFalse(table.contains(fp));
            assertEquals(-1, offsets.find(fp, off -> offsetOf.get(off) == fp));
        }
        // Slots are at most 80% full, so n entries take 10n bytes or more; a table in memory holds
        // at most its limit (or the 32 KiB it starts with): past that, some segment is in a file.
        if (10L * n > limit + 32768) {
            assertTrue(table.spilled() > 0 && offsets.spilled() > 0, "spilled: " + table.spilled() + ", " + offsets.spilled());
        }
        if (limit >= TableMemory.DEFAULT_LIMIT) {
            assertEquals(0, table.spilled() + offsets.spilled());
            // A touch reads the slot where a lookup starts, which holds the entry or one probed
            // past: never empty for an entry in the table (the offsets' last batch still waits).
            for (int i = 0; i < n; i++) {
                long fp = f.of(mhs[i]);
                assertTrue(table.touch(fp) != 0, "table slot of entry " + i);
                if (i < n - 32) {
                    assertTrue(offsets.touch(fp) != 0, "offset slot of entry " + i);
                }
            }
        }
    }

    /**
     * A multihash one bit away from another (a damaged root in a header, which no hash protects)
     * never shares its fingerprint: every bit of every digest word counts, whatever the seed.
     * (Once, every other word was multiplied by an even key, which drops its top bits: a flip of
     * bit 7 of digest byte 8 always went unseen, one of bit 4 one time in eight.)
     */
    /**
     * A link's CID read as bytes from a block fingerprints as the CID object does: any version,
     * hash code (one varint byte or more) and digest length (a whole number of words or not),
     * wherever it lies in the array; an identity CID is none (0).
     */
    @Property(tries = 300)
    void aCidsBytesFingerprintAsTheCid(@ForAll long seed, @ForAll @IntRange(max = 70) int digestLength,
            @ForAll @IntRange(max = 4) int kind, @ForAll @IntRange(max = 5) int before,
            @ForAll @IntRange(max = 5) int after) throws Exception {
        Random r = new Random(seed);
        long[] codes = {Multicodec.SHA2_256, Multicodec.BLAKE3, 0xb220, Multicodec.IDENTITY};
        Cid cid;
        if (kind == 4) {
            byte[] d = new byte[32];
            r.nextBytes(d);
            cid = Cid.v0(Multihash.of(Multicodec.SHA2_256, d));
        } else {
            byte[] d = new byte[digestLength];
            r.nextBytes(d);
            cid = Cid.v1(kind % 2 == 0 ? Multicodec.RAW : Multicodec.DAG_PB, Multihash.of(codes[kind], d));
        }
        byte[] bytes = cid.toBytes();
        byte[] src = new byte[before + bytes.length + after];
        r.nextBytes(src);
        System.arraycopy(bytes, 0, src, before, bytes.length);
        Fingerprints f = new Fingerprints();
        long expected = cid.isIdentity() ? 0 : f.of(cid.multihash());
        assertEquals(expected, f.ofCid(src, before, before + bytes.length), cid.toString());
    }

    @Property(tries = 50)
    void oneBitApartIsAnotherFingerprint(@ForAll long seed) {
        Random r = new Random(seed);
        Fingerprints f = new Fingerprints();
        byte[] d = new byte[32 + r.nextInt(33)];
        r.nextBytes(d);
        long fp = f.of(Multihash.of(Multicodec.SHA2_256, d));
        for (int bit = 0; bit < d.length * 8; bit++) {
            byte[] e = d.clone();
            e[bit / 8] ^= (byte) (1 << (bit % 8));
            assertTrue(fp != f.of(Multihash.of(Multicodec.SHA2_256, e)), "bit " + bit + " of " + d.length + " bytes");
        }
    }

    /**
     * Each instance has keys of its own: the same multihash fingerprints differently in two
     * instances (else one crafted input would collide in every run), and the same in one.
     */
    @Property(tries = 20)
    void everyInstanceIsKeyedApart(@ForAll long seed) {
        byte[] d = new byte[32];
        new Random(seed).nextBytes(d);
        Multihash mh = Multihash.of(Multicodec.SHA2_256, d);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            Fingerprints f = new Fingerprints();
            assertEquals(f.of(mh), f.of(mh));
            assertTrue(seen.add(f.of(mh)), "instance " + i + " repeats another's fingerprint");
        }
    }

    /**
     * The pair table against a map of lists: pairs added (a fingerprint often more than once),
     * values set, and every pair of a fingerprint removed, in runs that wrap around their
     * segment's end; in memory and with no memory (4 frames).
     */
    @Property(tries = 30)
    void pairTableAgreesWithAMapOfLists(@ForAll @IntRange(min = 1, max = 20000) int ops, @ForAll long seed,
            @ForAll boolean inFiles) throws IOException {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("pairs-test");
        int frames = Slots.Pages.framesPerTable;
        TableMemory.set(inFiles ? 0 : TableMemory.DEFAULT_LIMIT, dir);
        Slots.Pages.framesPerTable = 4;
        try (Fingerprints.PairTable t = new Fingerprints.PairTable()) {
            Map<Long, java.util.List<Long>> model = new HashMap<>();
            // Few distinct keys, some sharing a home (the same bits below the segment's), so runs form.
            long[] keys = new long[1 + r.nextInt(3000)];
            for (int i = 0; i < keys.length; i++) {
                long k = r.nextLong() & ~1L;
                k = i > 0 && r.nextInt(4) == 0 ? keys[i - 1] ^ (1L << 1 + r.nextInt(20)) : k;
                keys[i] = k == 0 ? 2 : k; // never 0: 0 marks an empty slot
            }
            long held = 0;
            long most = 0;
            for (int op = 0; op < ops; op++) {
                most = Math.max(most, held);
                long k = keys[r.nextInt(keys.length)];
                java.util.List<Long> vs = model.computeIfAbsent(k, x -> new java.util.ArrayList<>());
                switch (r.nextInt(5)) {
                    case 0, 1 -> {
                        long v = 1 + r.nextInt(1000);
                        t.add(k, v);
                        vs.add(v);
                        held++;
                    }
                    case 2 -> {
                        java.util.List<Long> got = new java.util.ArrayList<>();
                        t.removeAll(k, got::add);
                        java.util.Collections.sort(got);
                        java.util.Collections.sort(vs);
                        assertEquals(vs, got, "removed values");
                        held -= vs.size();
                        vs.clear();
                    }
                    case 3 -> {
                        if (!vs.isEmpty()) {
                            // the first pair's value, whichever it is, becomes v
                            long first = t.get(k);
                            assertTrue(vs.contains(first));
                            long v = 1001 + r.nextInt(1000);
                            t.set(k, v);
                            vs.set(vs.indexOf(first), v);
                        }
                    }
                    default -> assertEquals(vs.isEmpty(), t.get(k) == 0, "present");
                }
            }
            long pairs = 0;
            for (Map.Entry<Long, java.util.List<Long>> e : model.entrySet()) { // keys may repeat in keys[]
                assertEquals(e.getValue().isEmpty(), t.get(e.getKey()) == 0);
                pairs += e.getValue().size();
            }
            assertEquals(pairs, t.size());
            // 64 segments of 32 pairs take 25 each before one grows: past 1,600, one has (into a file).
            if (inFiles && most > 64 * 25) {
                assertTrue(t.spilled() > 0);
            }
            for (long k : keys) {
                t.removeAll(k, v -> { });
            }
            assertEquals(0, t.size());
        } finally {
            Slots.Pages.framesPerTable = frames;
            TableMemory.set(TableMemory.DEFAULT_LIMIT, Path.of(System.getProperty("java.io.tmpdir")));
            Files.delete(dir);
        }
    }
}
