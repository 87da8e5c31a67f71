package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.block.FileRegions;
import dev.cartool.block.HashMismatchException;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.SectionRef;
import dev.cartool.cid.Cid;
import dev.cartool.io.FileRegionSink;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leaf checked once is sent from its file the next time (a gateway's sendfile), and only then:
 * on the JS-made lolcow.car (two raw leaves of 262,144 and 81,920 bytes), against the content
 * digest the JS stack recorded.
 */
class CheckedLeavesTest {
    @TempDir
    Path tmp;

    private static final JsonNode LOLCOW = Fixtures.json("fixtures.json").get("files").get("lolcow.car");

    /** Keeps what it is given, and counts the parts that came as file regions. */
    private static final class Recording implements FileRegionSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int regions;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            bytes.write(b, 0, n);
            return n;
        }

        @Override
        public void writeFrom(FileChannel file, long position, long count) throws IOException {
            regions++;
            ByteBuffer b = ByteBuffer.allocate((int) count);
            while (b.hasRemaining()) {
                if (file.read(b, position + b.position()) < 0) {
                    throw new EOFException();
                }
            }
            bytes.write(b.array(), 0, (int) count);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static Recording send(UnixFsReader r, Cid root, long from, long to) throws IOException {
        Recording out = new Recording();
        try (UnixFsFile f = r.open(r.load(root))) {
            f.limit(to).position(from).transferTo(out, n -> { });
        }
        return out;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static Cid block(int i) throws Exception {
        return Cid.parse(LOLCOW.get("blocks").get(i).asText());
    }

    @Test
    void aLeafGoesFromItsFileOnlyOnceItWasChecked() throws Exception {
        Cid root = Cid.parse(LOLCOW.get("root").asText());
        long size = LOLCOW.get("content").get("size").asLong();
        String want = LOLCOW.get("content").get("sha256").asText();
        for (int threads : new int[] {0, 2}) {
            try (CarFileSource src = CarFileSource.open(Fixtures.testdata("lolcow.car"), CarReaderOptions.DEFAULTS, threads)) {
                UnixFsReader r = new UnixFsReader(src);
                assertNull(src.checkedRegion(block(1)), "nothing is checked before it is read");
                Recording first = send(r, root, 0, size);
                assertEquals(0, first.regions, "the first time, every leaf is read and hashed");
                assertEquals(want, sha(first.bytes.toByteArray()));
                Recording again = send(r, root, 0, size);
                assertEquals(2, again.regions, "both leaves were checked: both come from the file");
                assertEquals(want, sha(again.bytes.toByteArray()));
                byte[] whole = again.bytes.toByteArray();
                // A range across the two leaves: a part of each, from the file.
                Recording part = send(r, root, 262_000, 262_400);
                assertEquals(2, part.regions);
                assertArrayEquals(Arrays.copyOfRange(whole, 262_000, 262_400), part.bytes.toByteArray());
                // Read (not sent to a sink): the same bytes, through the reader's buffers.
                try (UnixFsFile f = r.open(r.load(root))) {
                    ByteBuffer b = ByteBuffer.allocate((int) size);
                    while (b.hasRemaining() && f.read(b) > 0) {
                        // reading
                    }
                    assertArrayEquals(whole, b.array());
                }
                FileRegions.Region at = src.checkedRegion(block(2));
                assertNotNull(at);
                assertEquals(81_920, at.length());
                SectionRef ref = src.locate(block(2));
                assertEquals(ref.dataOffset(), at.position());
            }
        }
    }

    @Test
    void aDamagedLeafIsNeverTakenAsChecked() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 10] ^= 1; // inside the last leaf
        Path bad = Files.write(tmp.resolve("bad.car"), car);
        Cid root = Cid.parse(LOLCOW.get("root").asText());
        long size = LOLCOW.get("content").get("size").asLong();
        try (CarFileSource src = CarFileSource.open(bad, CarReaderOptions.DEFAULTS, 2)) {
            UnixFsReader r = new UnixFsReader(src);
            for (int attempt = 0; attempt < 3; attempt++) {
                Recording out = new Recording();
                try (UnixFsFile f = r.open(r.load(root))) {
                    assertThrows(HashMismatchException.class, () -> f.transferTo(out, n -> { }), "attempt " + attempt);
                }
                assertNull(src.checkedRegion(block(2)), "a leaf that failed its hash is never sent unread");
            }
            assertNotNull(src.checkedRegion(block(1)), "the sound leaf before it was checked");
            Recording sound = send(r, root, 0, 262_144);
            assertEquals(1, sound.regions);
        }
    }

    /** A block under 1 KiB is hashed at every read (cheaper than the table), never recorded. */
    @Test
    void tinyBlocksAreHashedEveryTime() throws Exception {
        Cid big = Cid.parse("bafkreievbuyv22ma5wlphfh7yukto2wze7lwuxp2a3kbtofgphnomkukou"); // tree/data.bin, 20,000 bytes
        Cid tiny = Cid.parse("bafkreieb2r4dukzdulhmmwjy5amkii3igcz73bcxlpalscxiiqz5cxnczi"); // a 5-byte entry
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            assertEquals(20_000, src.get(big).length());
            assertEquals(5, src.get(tiny).length());
            assertNotNull(src.checkedRegion(big));
            assertNull(src.checkedRegion(tiny));
        }
    }

    @Test
    void aTrustedFileSendsEveryLeafFromItsFile() throws Exception {
        Cid root = Cid.parse(LOLCOW.get("root").asText());
        long size = LOLCOW.get("content").get("size").asLong();
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("lolcow.car"), CarReaderOptions.DEFAULTS.trusting(), 2)) {
            Recording out = send(new UnixFsReader(src), root, 0, size);
            assertEquals(2, out.regions, "the user chose not to hash: nothing is read");
            assertEquals(LOLCOW.get("content").get("sha256").asText(), sha(out.bytes.toByteArray()));
        }
    }
}
