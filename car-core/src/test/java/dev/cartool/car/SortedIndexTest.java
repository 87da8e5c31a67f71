package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Multihash;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** go-car's two CARv2 index formats, read and written byte for byte against go-car's own files. */
class SortedIndexTest {
    @TempDir
    Path tmp;

    private static List<Block> blocksOf(Path car) throws IOException {
        List<Block> out = new ArrayList<>();
        try (CarReader r = CarReader.open(Files.newInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b);
            }
        }
        return out;
    }

    private static SortedIndex openDetached(Path index, FileChannel[] keep) throws IOException {
        FileChannel ch = FileChannel.open(index, StandardOpenOption.READ);
        keep[0] = ch;
        return SortedIndex.open(ch, 0, ch.size());
    }

    @Test
    void goCarsDetachedIndexesFindEveryBlockOfSampleV1AtItsOffset() throws IOException {
        List<Block> blocks = blocksOf(Fixtures.goCar("sample-v1.car"));
        FileChannel[] ch = new FileChannel[1];
        SortedIndex mh = openDetached(Fixtures.goCar("sample-multihash-index-sorted.carindex"), ch);
        try {
            checkAll(mh.holdWhole(0), blocks); // 1,043 entries: 17 windows of 64, found through the fences
            ch[0].close();
            mh = openDetached(Fixtures.goCar("sample-multihash-index-sorted.carindex"), ch);
            assertEquals(SortedIndex.MULTIHASH_INDEX_SORTED, mh.codec());
            assertEquals(1043, mh.entries(), "identity CIDs are not indexed");
            for (Block b : blocks) {
                Multihash m = b.cid().multihash();
                assertEquals(m.isIdentity() ? -1 : b.offset(), mh.offsetOf(m), b.cid().toString());
            }
            byte[] absent = new byte[32];
            assertEquals(-1, mh.offsetOf(Multihash.of(0xb220, absent)));
            assertEquals(-1, mh.offsetOf(Multihash.of(0x12, m0(blocks).digest())), "another hash function, same digest");
        } finally {
            ch[0].close();
        }
        SortedIndex sorted = openDetached(Fixtures.goCar("sample-index.carindex"), ch);
        try {
            assertEquals(SortedIndex.INDEX_SORTED, sorted.codec());
            assertEquals(1049, sorted.entries(), "this older index lists the identity CIDs too");
            for (Block b : blocks) {
                assertEquals(b.offset(), sorted.offsetOf(b.cid().multihash()), b.cid().toString());
            }
        } finally {
            ch[0].close();
        }
    }

    private static void checkAll(SortedIndex idx, List<Block> blocks) throws IOException {
        for (Block b : blocks) {
            Multihash m = b.cid().multihash();
            assertEquals(m.isIdentity() ? -1 : b.offset(), idx.offsetOf(m), b.cid().toString());
            byte[] near = m.digest().clone();
            near[near.length - 1] ^= 1;
            assertEquals(-1, idx.offsetOf(Multihash.of(m.code(), near)), "a digest one bit off is not found");
        }
    }

    private static Multihash m0(List<Block> blocks) {
        for (Block b : blocks) {
            if (!b.cid().multihash().isIdentity()) {
                return b.cid().multihash();
            }
        }
        throw new AssertionError();
    }

    @Test
    void theBuilderWritesGoCarsIndexesByteForByte() throws IOException {
        List<Block> blocks = blocksOf(Fixtures.goCar("sample-v1.car"));
        try (SortedIndexBuilder b = new SortedIndexBuilder(false)) {
            for (Block x : blocks) {
                b.add(x.cid().multihash(), x.offset());
            }
            assertEquals(1043, b.count());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            b.writeTo(SortedIndex.MULTIHASH_INDEX_SORTED, out);
            assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-multihash-index-sorted.carindex")), out.toByteArray());
        }
        try (SortedIndexBuilder b = new SortedIndexBuilder(true)) {
            for (Block x : blocks) {
                b.add(x.cid().multihash(), x.offset());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            b.writeTo(SortedIndex.INDEX_SORTED, out);
            assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-index.carindex")), out.toByteArray());
        }
    }

    @Test
    void wrappingSampleV1GivesGoCarsWrappedV2ByteForByte() throws IOException {
        Path v2 = tmp.resolve("v2.car");
        try (CarFile f = CarFile.open(Fixtures.goCar("sample-v1.car"));
                SortedIndexBuilder idx = CarV2Writer.index(f, false, CarReaderOptions.DEFAULTS, 2);
                var out = Files.newOutputStream(v2)) {
            long n = CarV2Writer.write(f, idx, SortedIndex.MULTIHASH_INDEX_SORTED, out);
            assertEquals(Files.size(Fixtures.goCar("sample-wrapped-v2.car")), n);
        }
        assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car")), Files.readAllBytes(v2));
        // Trusting the payload (one this process just wrote), the index is made from the section heads alone.
        try (CarFile f = CarFile.open(Fixtures.goCar("sample-v1.car"));
                SortedIndexBuilder idx = CarV2Writer.index(f, false, CarReaderOptions.DEFAULTS.trusting(), 1)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            CarV2Writer.write(f, idx, SortedIndex.MULTIHASH_INDEX_SORTED, out);
            assertArrayEquals(Fixtures.read(Fixtures.goCar("sample-wrapped-v2.car")), out.toByteArray());
        }
        // Re-indexing a CARv2 reads its payload, not its pragma: the same file again.
        Path again = tmp.resolve("again.car");
        try (CarFile f = CarFile.open(v2);
                SortedIndexBuilder idx = CarV2Writer.index(f, false, CarReaderOptions.DEFAULTS, 1);
                var out = Files.newOutputStream(again)) {
            CarV2Writer.write(f, idx, SortedIndex.MULTIHASH_INDEX_SORTED, out);
        }
        assertArrayEquals(Files.readAllBytes(v2), Files.readAllBytes(again));
    }

    @Test
    void aCarFileOfAnIndexedV2LooksBlocksUpThroughItsIndex() throws IOException {
        List<Block> blocks = blocksOf(Fixtures.goCar("sample-v1.car"));
        try (CarFile f = CarFile.open(Fixtures.goCar("sample-wrapped-v2.car"))) {
            SortedIndex idx = f.index();
            assertNotNull(idx);
            Block last = blocks.get(blocks.size() - 1);
            assertEquals(last.offset(), idx.offsetOf(last.cid().multihash()));
            assertEquals(last.cid(), f.section(f.payloadOffset() + idx.offsetOf(last.cid().multihash())).cid());
        }
        try (CarFile f = CarFile.open(Fixtures.goCar("sample-v2-indexless.car"))) {
            assertNull(f.index());
        }
    }

    @Test
    void compareFindsTheEntryThatLies() throws IOException {
        Path v2 = Fixtures.goCar("sample-wrapped-v2.car");
        byte[] bytes = Fixtures.read(v2);
        List<Block> blocks = blocksOf(Fixtures.goCar("sample-v1.car"));
        long indexAt = 479_958;
        assertNull(compareWith(bytes, indexAt, blocks, false), "go-car's own index agrees with its payload");
        // Entries start after varint(2) + i32 + u64 code + i32 + u32 width + u64 length = 30 bytes.
        byte[] lying = bytes.clone();
        int firstOffset = (int) indexAt + 30 + 32;
        lying[firstOffset] ^= 1;
        String p = compareWith(lying, indexAt, blocks, false);
        assertNotNull(p);
        assertTrue(p.contains("entry at offset 479,988") && p.contains("but the payload holds it at"), p);
        byte[] otherDigest = bytes.clone();
        otherDigest[(int) indexAt + 30 + 5] ^= 0x40;
        p = compareWith(otherDigest, indexAt, blocks, false);
        assertNotNull(p);
        assertTrue(p.contains("no such block") || p.contains("lacks") || p.contains("out of order"), p);
        assertNotNull(compareWith(bytes, indexAt, blocks, true),
                "a fully indexed payload wants its identity CIDs, which this index leaves out");
        byte[] badCodec = bytes.clone();
        badCodec[(int) indexAt] = 0x02;
        assertThrows(UnsupportedCarException.class, () -> compareWith(badCodec, indexAt, blocks, false));
        byte[] shortIndex = java.util.Arrays.copyOf(bytes, bytes.length - 7);
        assertThrows(TruncatedCarException.class, () -> compareWith(shortIndex, indexAt, blocks, false));
    }

    private static String compareWith(byte[] car, long indexAt, List<Block> blocks, boolean identity) throws IOException {
        try (SortedIndexBuilder want = new SortedIndexBuilder(identity)) {
            for (Block b : blocks) {
                want.add(b.cid().multihash(), b.offset());
            }
            ByteArrayInputStream in = new ByteArrayInputStream(car, (int) indexAt, car.length - (int) indexAt);
            return SortedIndex.compare(in, indexAt, want);
        }
    }

    @Test
    void aMalformedBucketTableIsRefusedWithItsOffset() throws IOException {
        byte[] idx = Fixtures.read(Fixtures.goCar("sample-multihash-index-sorted.carindex"));
        byte[] badWidth = idx.clone();
        badWidth[2 + 4 + 8 + 4] = 4; // width 4: no room for an offset
        Path p = tmp.resolve("bad.carindex");
        Files.write(p, badWidth);
        try (FileChannel ch = FileChannel.open(p)) {
            MalformedCarException e = assertThrows(MalformedCarException.class, () -> SortedIndex.open(ch, 0, ch.size()));
            assertEquals(18, e.offset());
        }
        byte[] badLength = idx.clone();
        badLength[2 + 4 + 8 + 4 + 4] = 1; // not a multiple of the width
        Files.write(p, badLength);
        try (FileChannel ch = FileChannel.open(p)) {
            assertThrows(MalformedCarException.class, () -> SortedIndex.open(ch, 0, ch.size()));
        }
        Files.write(p, java.util.Arrays.copyOf(idx, 100));
        try (FileChannel ch = FileChannel.open(p)) {
            assertThrows(TruncatedCarException.class, () -> SortedIndex.open(ch, 0, ch.size()));
        }
    }
}
