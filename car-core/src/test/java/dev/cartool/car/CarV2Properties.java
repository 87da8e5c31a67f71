package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** v1 -> v2 -> v1: the payload is the CARv1 byte for byte and the index finds every block. */
class CarV2Properties {
    @Provide
    Arbitrary<List<byte[]>> contents() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMaxSize(300); // past 64: several windows
    }

    @Provide
    Arbitrary<Long> hashes() {
        return Arbitraries.of(Multicodec.SHA2_256, Multicodec.BLAKE2B_256, Multicodec.SHA2_512, Multicodec.IDENTITY);
    }

    @Property(tries = 60)
    void wrapAndUnwrap(@ForAll("contents") List<byte[]> contents, @ForAll("hashes") long h1, @ForAll("hashes") long h2,
            @ForAll boolean fullyIndexed, @ForAll boolean multihashSorted, @ForAll boolean inMemory) throws IOException {
        List<Cid> cids = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            cids.add(Cid.of(Multicodec.RAW, i % 2 == 0 ? h1 : h2, contents.get(i)));
        }
        List<Cid> roots = List.of(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, new byte[] {1}));
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        try (CarWriter w = CarWriter.create(v1, roots)) {
            for (int i = 0; i < contents.size(); i++) {
                w.write(cids.get(i), contents.get(i));
            }
        }
        Path dir = Files.createTempDirectory("v2prop");
        try {
            Path in = Files.write(dir.resolve("v1.car"), v1.toByteArray());
            long codec = multihashSorted ? SortedIndex.MULTIHASH_INDEX_SORTED : SortedIndex.INDEX_SORTED;
            ByteArrayOutputStream v2 = new ByteArrayOutputStream();
            try (CarFile f = CarFile.open(in);
                    SortedIndexBuilder idx = CarV2Writer.index(f, fullyIndexed, CarReaderOptions.DEFAULTS, 2)) {
                CarV2Writer.write(f, idx, codec, v2);
            }
            byte[] out = v2.toByteArray();
            assertArrayEquals(v1.toByteArray(), Arrays.copyOfRange(out, 51, 51 + v1.size()), "payload = the CARv1");
            assertEquals(fullyIndexed ? (byte) 0x80 : 0, out[11]);
            Path v2File = Files.write(dir.resolve("v2.car"), out);
            List<Block> blocks = new ArrayList<>();
            try (CarReader r = CarReader.open(new ByteArrayInputStream(out))) {
                assertEquals(roots, r.header().roots());
                Block b;
                while ((b = r.next()) != null) {
                    blocks.add(b);
                }
                assertEquals(codec, r.indexCodec());
            }
            assertEquals(contents.size(), blocks.size());
            try (CarFile f = CarFile.open(v2File); SortedIndexBuilder want = new SortedIndexBuilder(fullyIndexed)) {
                SortedIndex idx = f.index().holdWhole(inMemory ? 8 << 20 : 0); // both search paths
                for (Block b : blocks) {
                    long rel = b.offset() - 51;
                    boolean indexed = fullyIndexed || !b.cid().isIdentity();
                    long found = idx.offsetOf(b.cid().multihash());
                    if (indexed) {
                        // a repeated block may be found at either of its offsets
                        assertEquals(b.cid(), f.section(51 + found).cid());
                    } else {
                        assertEquals(-1, found);
                    }
                    want.add(b.cid().multihash(), rel);
                }
                assertNull(SortedIndex.compare(f.openIndex(), f.v2().indexOffset(), want));
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
