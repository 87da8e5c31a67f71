package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.testing.Fixtures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UnixFsDataTest {
    static List<Block> dagPbBlocks() throws IOException {
        List<Block> out = new ArrayList<>();
        List<Path> cars = new ArrayList<>(List.of(Fixtures.testdata("lolcow.car"), Fixtures.testdata("lolcow-cidv0.car"),
                Fixtures.testdata("tree.car"), Fixtures.testdata("zeros-v1-2025.car")));
        try (Stream<Path> s = Files.list(Fixtures.testdata("random"))) {
            s.sorted().forEach(cars::add);
        }
        for (Path p : cars) {
            try (CarReader r = CarReader.open(Files.newInputStream(p))) {
                Block b;
                while ((b = r.next()) != null) {
                    if (b.cid().codec() == Multicodec.DAG_PB) {
                        out.add(b);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyNodeTheJsStackMadeDecodesAndReencodesToTheSameBytes() throws Exception {
        int n = 0;
        boolean sawMode = false;
        boolean sawMtime = false;
        boolean sawHamt = false;
        boolean sawSymlink = false;
        for (Block b : dagPbBlocks()) {
            byte[] raw = DagPb.decode(b.data()).data();
            UnixFsData d = UnixFsData.decode(raw);
            assertArrayEquals(raw, d.encode(), "UnixFS Data of " + b.cid());
            sawMode |= d.mode() != null;
            sawMtime |= d.mtime() != null;
            sawHamt |= d.type() == UnixFsData.Type.HAMT_SHARD;
            sawSymlink |= d.type() == UnixFsData.Type.SYMLINK;
            n++;
        }
        assertTrue(n > 100, "fixtures hold many nodes: " + n);
        assertTrue(sawMode && sawMtime && sawHamt && sawSymlink, "fixtures cover mode, mtime, HAMT and symlink");
    }

    @Test
    void malformedMessagesAreRejected() {
        // No Type; an unknown Type; Data with the varint wire type; a length past the end; field 9.
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(new byte[] {0x18, 0x01}));
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(new byte[] {0x08, 0x09}));
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(new byte[] {0x08, 0x02, 0x10, 0x01}));
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(new byte[] {0x08, 0x02, 0x12, 0x05, 1}));
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(new byte[] {0x08, 0x02, 0x48, 0x01}));
        // mtime nanoseconds beyond a second.
        assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(
                new byte[] {0x08, 0x02, 0x42, 0x07, 0x08, 0x01, 0x15, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}));
    }

    @Test
    void packedBlocksizesAreAccepted() throws Exception {
        UnixFsData d = UnixFsData.decode(new byte[] {0x08, 0x02, 0x18, 0x05, 0x22, 0x02, 0x02, 0x03});
        assertArrayEquals(new long[] {2, 3}, d.blocksizes());
        assertEquals(5L, d.filesize());
    }

    @Provide
    Arbitrary<UnixFsData> messages() {
        Arbitrary<UnixFsData.Type> types = Arbitraries.of(UnixFsData.Type.class);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(30).injectNull(0.3);
        Arbitrary<long[]> sizes = Arbitraries.longs().between(0, Long.MAX_VALUE).array(long[].class).ofMaxSize(6);
        Arbitrary<Long> small = Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.5);
        Arbitrary<Integer> mode = Arbitraries.integers().between(0, 07777).injectNull(0.5);
        Arbitrary<UnixFsData.Mtime> mtime = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 999_999_999))
                .as(UnixFsData.Mtime::new).injectNull(0.5);
        return Combinators.combine(types, data, small, sizes, small, small, mode, mtime)
                .as((t, d, f, s, h, fo, m, mt) -> UnixFsData.builder(t).data(d).filesize(f).blocksizes(s)
                        .hashType(h).fanout(fo).mode(m).mtime(mt).build());
    }

    @Property
    void encodeThenDecodeIsIdentity(@ForAll("messages") UnixFsData d) throws UnixFsFormatException {
        assertEquals(d, UnixFsData.decode(d.encode()));
    }

    @Property
    void anyBytesDecodeOrFailCleanly(@ForAll byte[] b) {
        try {
            UnixFsData.decode(b);
        } catch (UnixFsFormatException expected) {
            // fine
        }
    }
}
