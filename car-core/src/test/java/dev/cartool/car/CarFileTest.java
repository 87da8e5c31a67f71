package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.HashMismatchException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarFileTest {
    @TempDir
    Path tmp;

    @Test
    void scanFindsTheSectionsTheStreamingReaderFinds() throws IOException {
        for (Path p : List.of(Fixtures.testdata("lolcow-wrapped.car"), Fixtures.testdata("dagcbor.car"),
                Fixtures.goCar("sample-v1.car"))) {
            List<Block> streamed = CarReaderTest.readAll(Files.readAllBytes(p), CarReaderOptions.DEFAULTS);
            List<SectionRef> refs = new ArrayList<>();
            try (CarFile f = CarFile.open(p)) {
                CarFile.Scan scan = f.scan();
                SectionRef r;
                while ((r = scan.next()) != null) {
                    refs.add(r);
                }
                assertEquals(streamed.size(), refs.size());
                // Read them back in reverse: positional reads do not depend on order.
                for (int i = refs.size() - 1; i >= 0; i--) {
                    Block b = f.read(refs.get(i));
                    Block s = streamed.get(i);
                    assertEquals(s.cid(), b.cid());
                    assertEquals(s.offset(), b.offset());
                    assertEquals(s.sectionLength(), b.sectionLength());
                    assertArrayEquals(s.data(), b.data());
                    assertEquals(s.cid(), f.readBlock(s.offset()).cid());
                }
                assertEquals(Files.size(p), refs.get(refs.size() - 1).end());
            }
        }
    }

    @Test
    void aLargeSectionsHeadIsParsedOnceASmallOnesEveryTime() throws IOException {
        // lolcow: two leaves (256 KiB and the rest of the image) and a root node of a few dozen bytes.
        try (CarFile f = CarFile.open(Fixtures.testdata("lolcow.car"))) {
            List<SectionRef> refs = new ArrayList<>();
            CarFile.Scan scan = f.scan();
            SectionRef r;
            while ((r = scan.next()) != null) {
                refs.add(r);
            }
            int large = 0;
            for (SectionRef ref : refs) {
                SectionRef again = f.section(ref.offset());
                assertEquals(ref, again);
                if (ref.dataLength() >= CarFile.CHECK_ONCE_FROM) {
                    assertSame(ref, again, "the head kept from the scan");
                    large++;
                } else {
                    assertNotSame(ref, again, "a small section is read again (its page is at hand)");
                }
            }
            assertEquals(2, large);
        }
    }

    @Test
    void everyLargeSectionsHeadStaysWhileTheFileIsCovered() throws IOException {
        // 120 leaves of 131,100-200,000 bytes, so more than 128 KiB apart: each has a slot of its
        // own. (A hash of the offset into the 512 slots a file this size gets left some sharing.)
        Path p = tmp.resolve("leaves.car");
        java.util.Random random = new java.util.Random(5);
        byte[] d = new byte[200_000];
        random.nextBytes(d);
        try (java.io.OutputStream out = Files.newOutputStream(p);
                CarWriter w = CarWriter.create(out, List.of(raw(d)))) {
            for (int i = 0; i < 120; i++) {
                d[0] = (byte) i;
                byte[] leaf = Arrays.copyOf(d, 131_100 + random.nextInt(68_900));
                w.write(Block.of(raw(leaf), leaf));
            }
        }
        try (CarFile f = CarFile.open(p)) {
            List<SectionRef> refs = new ArrayList<>();
            CarFile.Scan scan = f.scan();
            SectionRef r;
            while ((r = scan.next()) != null) {
                refs.add(r);
            }
            assertEquals(120, refs.size());
            for (SectionRef ref : refs) {
                assertSame(ref, f.section(ref.offset()), "the head at " + ref.offset() + " kept from the scan");
            }
        }
    }

    private static dev.cartool.cid.Cid raw(byte[] data) {
        return dev.cartool.cid.Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, data);
    }

    @Test
    void theHeadsCacheCoversFilesUpTo8GiBASlotPer128KiB() {
        for (long size : new long[] {0, 1, 100_000, 64L << 20, (64L << 20) + 1, 1L << 30, 3L << 30, 8L << 30,
                (8L << 30) + 1, 1L << 40}) {
            int bits = CarFile.recentBits(size);
            int shift = CarFile.recentShift(size);
            assertEquals(true, bits >= 9 && bits <= 16, size + ": " + bits + " bits");
            assertEquals(true, shift >= 17, size + ": a slot per " + (1L << shift) + " bytes");
            assertEquals(true, (1L << (bits + shift)) >= size, size + ": covered");
            if (size <= 8L << 30) {
                assertEquals(17, shift, size + ": a slot per 128 KiB");
            }
        }
        // A 1 GiB image as Kubo lays it out (balanced, 174 links a node, DFS): a node, then its
        // leaves, each 262,144 bytes with a 36-byte CID and a 3-byte varint. Every leaf keeps a
        // slot of its own; only a node shares one, with the leaf after it.
        long size = 1_074_108_876L;
        int bits = CarFile.recentBits(size);
        int shift = CarFile.recentShift(size);
        java.util.Map<Integer, Long> taken = new java.util.HashMap<>();
        long at = 59 + 1_259 + 3; // the header, the root node
        int leaves = 0;
        while (leaves < 4_096) {
            at += 8_710 + 3; // a node of 174 links
            for (int i = 0; i < 174 && leaves < 4_096; i++, leaves++) {
                Long other = taken.put(CarFile.recentSlot(at, bits, shift), at);
                assertEquals(null, other, "the leaf at " + at + " shares a slot with the one at " + other);
                at += 3 + 36 + 262_144;
            }
        }
        assertEquals(true, at > 1L << 30, "the layout spans the image: " + at);
    }

    @Test
    void damageIsReportedAtTheSection() throws IOException {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        List<Block> blocks = CarReaderTest.readAll(car, CarReaderOptions.DEFAULTS);
        Block victim = blocks.get(2);
        byte[] bad = car.clone();
        bad[(int) victim.dataOffset()] ^= 0x40;
        Path p = tmp.resolve("bad.car");
        Files.write(p, bad);
        try (CarFile f = CarFile.open(p)) {
            HashMismatchException e = assertThrows(HashMismatchException.class, () -> f.readBlock(victim.offset()));
            assertEquals(victim.offset(), e.offset());
        }
        Path cut = tmp.resolve("cut.car");
        Files.write(cut, Arrays.copyOf(car, car.length - 3));
        try (CarFile f = CarFile.open(cut)) {
            CarFile.Scan scan = f.scan();
            scan.next();
            scan.next();
            TruncatedCarException t = assertThrows(TruncatedCarException.class, scan::next);
            assertEquals(victim.offset(), t.offset());
        }
    }
}
