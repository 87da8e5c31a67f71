package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CarWriterProperties {
    @Provide
    Arbitrary<List<byte[]>> contents() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Long> hashes() {
        return Arbitraries.of(Multicodec.SHA2_256, Multicodec.BLAKE2B_256, Multicodec.BLAKE3,
                Multicodec.SHA3_256, Multicodec.KECCAK_256, Multicodec.SHA1, Multicodec.BLAKE2S_256);
    }

    @Property(tries = 200)
    void writeThenReadGivesBackEveryBlockAndRoot(@ForAll("contents") List<byte[]> contents,
            @ForAll("hashes") long hash, @ForAll boolean parallel) throws IOException {
        List<Cid> cids = new ArrayList<>();
        for (byte[] c : contents) {
            cids.add(Cid.of(Multicodec.RAW, hash, c));
        }
        List<Cid> roots = cids.isEmpty() ? List.of(Cid.of(Multicodec.RAW, hash, new byte[0])) : List.of(cids.get(0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written;
        try (CarWriter w = CarWriter.create(out, roots)) {
            for (int i = 0; i < contents.size(); i++) {
                w.write(cids.get(i), contents.get(i));
            }
            written = w.bytesWritten();
        }
        assertEquals(out.size(), written);
        CarReaderOptions opts = parallel ? CarReaderOptions.DEFAULTS.trusting() : CarReaderOptions.DEFAULTS;
        try (BlockCursor r = parallel
                ? ParallelVerifier.of(CarReader.open(new java.io.ByteArrayInputStream(out.toByteArray()), opts), 3, 4096)
                : CarReader.open(new java.io.ByteArrayInputStream(out.toByteArray()), opts)) {
            assertEquals(roots, r.header().roots());
            for (int i = 0; i < contents.size(); i++) {
                Block b = r.next();
                assertEquals(cids.get(i), b.cid());
                assertArrayEquals(contents.get(i), b.data());
            }
            assertEquals(null, r.next());
            assertEquals(out.size(), r.bytesRead());
        }
    }
}
