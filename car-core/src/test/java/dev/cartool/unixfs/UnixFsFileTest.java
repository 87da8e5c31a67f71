package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Cid;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Seeks and ranges of {@link UnixFsFile} against the bytes the JS exporter gives for the same
 * ranges of the same JS-made DAGs (three levels; raw leaves, and dag-pb leaves with inline data).
 */
class UnixFsFileTest {
    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Every block of a CAR in a map: a source without a DataReader (heap buffers). */
    private static Map<Cid, Block> blocks(String car) throws IOException {
        Map<Cid, Block> m = new HashMap<>();
        try (CarReader r = CarReader.open(java.nio.file.Files.newInputStream(Fixtures.testdata(car)))) {
            Block b;
            while ((b = r.next()) != null) {
                m.put(b.cid(), b);
            }
        }
        return m;
    }

    @Test
    void everyRangeMatchesTheJsExporterThreeWays() throws Exception {
        JsonNode v = Fixtures.json("range-vectors.json");
        int n = 0;
        for (JsonNode c : v.get("cases")) {
            String car = c.get("car").asText();
            long offset = c.get("offset").asLong();
            int length = c.get("length").asInt();
            String want = c.get("sha256").asText();
            try (CarFileSource file = CarFileSource.open(Fixtures.testdata(car))) {
                Map<Cid, Block> held = blocks(car);
                for (BlockSource source : new BlockSource[] {file, held::get}) {
                    UnixFsReader r = new UnixFsReader(source);
                    UnixFsNode root = r.load(file.header().roots().get(0));
                    assertEquals(v.get("size").asLong(), root.fileSize());
                    String where = car + " " + offset + "+" + length + (source == file ? " (file)" : " (map)");
                    // 1. A seek plus a limit, then a transfer.
                    try (UnixFsFile f = r.open(root)) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        long sent = f.limit(offset + length).position(offset).transferTo(out, k -> { });
                        assertEquals(length, sent, where);
                        assertEquals(want, sha(out.toByteArray()), where);
                        assertEquals(offset + length, f.position(), where);
                    }
                    // 2. A seek, then reads into a small buffer of an odd size, up to the range.
                    try (UnixFsFile f = r.open(root)) {
                        f.position(offset);
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ByteBuffer buf = ByteBuffer.allocate(777);
                        while (out.size() < length) {
                            buf.clear().limit((int) Math.min(777, length - out.size()));
                            int k = f.read(buf);
                            assertTrue(k > 0, where);
                            out.write(buf.array(), 0, k);
                        }
                        assertEquals(want, sha(out.toByteArray()), where);
                    }
                    // 3. Exactly n bytes from a seek.
                    try (UnixFsFile f = r.open(root)) {
                        assertEquals(want, sha(f.position(offset).readNBytes(length)), where);
                    }
                }
            }
            n++;
        }
        assertEquals(34, n);
    }

    @Test
    void aRangeLoadsOnlyTheBlocksThatHoldIt() throws Exception {
        Map<Cid, Block> held = blocks("range-raw.car");
        AtomicInteger gets = new AtomicInteger();
        BlockSource counting = cid -> {
            gets.incrementAndGet();
            return held.get(cid);
        };
        UnixFsReader r = new UnixFsReader(counting);
        Cid rootCid = Cid.parse(rootOf("range-raw.car"));
        UnixFsNode root = r.load(rootCid);
        // 61,000 bytes in 122 leaves of 500 under nodes of 7: each of the root's children holds
        // 49 leaves (24,500 bytes). Byte 24,500 is the first of the second child's first leaf:
        // one interior node per level below the root, then the leaf.
        gets.set(0);
        try (UnixFsFile f = r.open(root)) {
            assertEquals(1, f.position(24_500).readNBytes(1).length);
        }
        assertEquals(3, gets.get(), "two interior nodes and one leaf");
        // A reading from a position fetches ahead only to the limit.
        gets.set(0);
        try (UnixFsFile f = r.open(root)) {
            f.limit(1_000).position(0).transferTo(new ByteArrayOutputStream(), k -> { });
        }
        assertEquals(2 + 2, gets.get(), "the first child, its first child, two leaves");
    }

    @Test
    void seeksBackAndForthAndTheEnds() throws Exception {
        Map<Cid, Block> held = blocks("range-v0.car");
        UnixFsReader r = new UnixFsReader(held::get);
        UnixFsNode root = r.load(Cid.parse(rootOf("range-v0.car")));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        r.transferTo(root, whole, k -> { });
        byte[] all = whole.toByteArray();
        try (UnixFsFile f = r.open(root)) {
            for (long pos : new long[] {60_000, 3, 59_999, 0, 24_499, 24_500, 500}) {
                byte[] got = f.position(pos).readNBytes(1000 > all.length - pos ? (int) (all.length - pos) : 1000);
                assertEquals(sha(java.util.Arrays.copyOfRange(all, (int) pos, (int) pos + got.length)), sha(got), "at " + pos);
            }
            assertEquals(-1, f.position(all.length).read(ByteBuffer.allocate(10)));
            assertThrows(IllegalArgumentException.class, () -> f.position(10).readNBytes(all.length));
            f.limit(20).position(10);
            assertEquals(10, f.remaining());
            ByteBuffer b = ByteBuffer.allocate(100);
            assertEquals(10, f.read(b));
            assertEquals(-1, f.read(b));
        }
    }

    private static String rootOf(String car) throws IOException {
        try (CarFileSource s = CarFileSource.open(Fixtures.testdata(car))) {
            return s.header().roots().get(0).toString();
        }
    }

    @Test
    void manySmallLeavesGoOutInFewWritesWithEveryByteAndProgressCounted() throws Exception {
        // One file node over 3,000 raw leaves of 0-99 bytes.
        java.util.Random rnd = new java.util.Random(7);
        Map<Cid, Block> m = new HashMap<>();
        java.util.List<dev.cartool.dagpb.PbLink> links = new java.util.ArrayList<>();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        long[] sizes = new long[3000];
        for (int i = 0; i < sizes.length; i++) {
            byte[] d = new byte[rnd.nextInt(100)];
            rnd.nextBytes(d);
            Block leaf = Block.of(Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, d), d);
            m.put(leaf.cid(), leaf);
            links.add(new dev.cartool.dagpb.PbLink(leaf.cid(), "", (long) d.length));
            sizes[i] = d.length;
            want.write(d);
        }
        byte[] node = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(links,
                UnixFsData.builder(UnixFsData.Type.FILE).filesize((long) want.size()).blocksizes(sizes).build().encode()));
        Block root = Block.of(Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, node), node);
        m.put(root.cid(), root);
        UnixFsReader r = new UnixFsReader(m::get);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        AtomicInteger writes = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
        java.nio.channels.WritableByteChannel out = new java.nio.channels.WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                writes.incrementAndGet();
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                got.write(b, 0, n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try (UnixFsFile f = r.open(r.load(root.cid()))) {
            assertEquals(want.size(), f.transferTo(out, progress::addAndGet));
        }
        assertEquals(sha(want.toByteArray()), sha(got.toByteArray()));
        assertEquals(want.size(), progress.get());
        assertTrue(writes.get() <= 2, "3,000 small leaves in " + writes + " writes");
    }
}
