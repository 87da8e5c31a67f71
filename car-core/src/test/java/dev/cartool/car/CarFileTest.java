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
