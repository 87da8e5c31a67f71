package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class VarintProperties {
    @Property
    void roundTripsThroughBytesAndStreams(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long v) throws IOException {
        byte[] enc = Varint.encode(v);
        assertEquals(Varint.size(v), enc.length);
        assertTrue(enc.length <= Varint.MAX_BYTES);
        assertEquals(v, Varint.decode(enc));
        assertEquals(v, Varint.read(new ByteArrayInputStream(enc)));
    }

    @Property
    void nonMinimalEncodingsAreRejected(@ForAll @LongRange(min = 0, max = (1L << 56) - 1) long v) {
        byte[] enc = Varint.encode(v);
        // Append a redundant zero group: the same value, one byte longer.
        byte[] padded = new byte[enc.length + 1];
        System.arraycopy(enc, 0, padded, 0, enc.length);
        padded[enc.length - 1] |= (byte) 0x80;
        padded[enc.length] = 0;
        assertThrows(Varint.VarintException.class, () -> Varint.decode(padded));
        assertThrows(Varint.VarintException.class, () -> Varint.read(new ByteArrayInputStream(padded)));
    }

    @Example
    void knownEncodings() throws CidFormatException {
        assertArrayEquals(new byte[] {0}, Varint.encode(0));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, Varint.encode(128));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, 0x03}, Varint.encode(65535));
        assertEquals(300, Varint.decode(new byte[] {(byte) 0xac, 0x02}));
    }

    @Example
    void tenByteAndTruncatedVarintsAreRejected() {
        byte[] ten = new byte[10];
        java.util.Arrays.fill(ten, (byte) 0xff);
        ten[9] = 1;
        assertThrows(Varint.VarintException.class, () -> Varint.decode(ten));
        Varint.VarintException e = assertThrows(Varint.VarintException.class,
                () -> Varint.decode(new byte[] {(byte) 0x80, (byte) 0x80}));
        assertTrue(e.truncated());
        assertThrows(EOFException.class, () -> Varint.read(new ByteArrayInputStream(new byte[] {(byte) 0x80})));
        assertThrows(Varint.VarintException.class, () -> Varint.decode(new byte[] {(byte) 0x80, 0x00}));
    }
}
