package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aWindowIsFilledForReadsInOrderButNotAgainAndAgainForTwoInTurn() throws IOException {
        // 20,000 blocks of 100 bytes: about 2.7 MB, ten or eleven windows of 256 KiB.
        Path p = tmp.resolve("tiny.car");
        List<Block> blocks = new ArrayList<>();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = new byte[100];
            r.nextBytes(d);
            blocks.add(Block.of(dev.cartool.cid.Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, d), d));
        }
        try (java.io.OutputStream out = Files.newOutputStream(p); CarWriter w = CarWriter.create(out, List.of(blocks.get(0).cid()))) {
            for (Block b : blocks) {
                w.write(b);
            }
        }
        try (CarFile f = CarFile.open(p)) {
            List<SectionRef> refs = new ArrayList<>();
            CarFile.Scan scan = f.scan();
            SectionRef ref;
            while ((ref = scan.next()) != null) {
                refs.add(ref);
            }
            // In order: a window every 256 KiB.
            long before = CarFile.windowFills();
            for (int k = 0; k < refs.size(); k++) {
                SectionRef s = refs.get(k);
                assertEquals(s, f.section(s.offset()));
                assertArrayEquals(blocks.get(k).data(), f.read(s).data(), "block " + k);
            }
            long inOrder = CarFile.windowFills() - before;
            long windows = (Files.size(p) + (256 << 10) - 1) / (256 << 10);
            assertTrue(inOrder >= windows - 1 && inOrder <= windows + 1, inOrder + " windows for " + windows + " of the file");
            // Two readers in turn, eight blocks each (a server's connections, each going through its
            // files in order): a window filled for one is gone before it is used much. Each was
            // filled anew at every turn (2,500 windows); now the thread stops after a few.
            before = CarFile.windowFills();
            int half = refs.size() / 2;
            for (int turn = 0; turn < 2 * half / 8; turn++) {
                int base = (turn % 2) * half + (turn / 2) * 8;
                for (int k = base; k < base + 8 && k < refs.size(); k++) {
                    SectionRef s = refs.get(k);
                    assertEquals(s, f.section(s.offset()));
                    assertArrayEquals(blocks.get(k).data(), f.read(s).data(), "block " + k);
                }
            }
            long inTurn = CarFile.windowFills() - before;
            assertTrue(inTurn <= 20, inTurn + " windows for two readers in turn");
        }
    }
}
