package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Varint;
import dev.cartool.error.CarException;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, item 2: one section decoder, so a stream and a file say the same about the same damage. */
class SectionHeadTest {
    @TempDir
    Path tmp;

    /** The lolcow CAR with its second section's head replaced by {@code head}. */
    private static byte[] withSecondHead(byte[] head, boolean keepRest) throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        List<Block> blocks = new java.util.ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                blocks.add(b);
            }
        }
        int at = (int) blocks.get(1).offset();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(car, 0, at);
        out.write(head);
        if (keepRest) {
            int headLen = Varint.size(blocks.get(1).sectionLength() - Varint.size(blocks.get(1).sectionLength()));
            out.write(car, at + headLen, car.length - at - headLen);
        }
        return out.toByteArray();
    }

    private String viaStream(byte[] car) {
        CarException e = assertThrows(CarException.class, () -> {
            try (CarReader r = CarReader.open(new ByteArrayInputStream(car), CarReaderOptions.DEFAULTS.trusting())) {
                while (r.next() != null) {
                    // read on
                }
            }
        });
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private String viaFile(byte[] car) throws Exception {
        Path f = Files.write(tmp.resolve("x.car"), car);
        CarException e = assertThrows(CarException.class, () -> {
            try (CarFile file = CarFile.open(f, CarReaderOptions.DEFAULTS.trusting())) {
                CarFile.Scan s = file.scan();
                while (s.next() != null) {
                    // scan on
                }
            }
        });
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Test
    void aStreamAndAFileGiveTheSameErrorForTheSameDamage() throws Exception {
        byte[][] heads = {
            {0x00},                                   // zero length
            Varint.encode(9L << 20),                  // over the 8 MiB limit
            {(byte) 0x80, 0x00},                      // not minimal
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
            {0x05, 0x01, 0x55, 0x12, 0x20, 0x00},     // a CID that claims 32 digest bytes in a 5-byte section
        };
        for (byte[] h : heads) {
            byte[] car = withSecondHead(h, true);
            assertEquals(viaStream(car), viaFile(car), java.util.HexFormat.of().formatHex(h));
        }
        byte[] cut = withSecondHead(new byte[] {(byte) 0x80}, false); // the data ends inside a varint
        assertEquals(viaStream(cut), viaFile(cut));
    }
}
