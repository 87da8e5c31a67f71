package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SlabsTest {
    @Test
    void buffersStartOnAHugePageEachHasItsOwnBytesAndASlabServesTheCountItWasMadeFor() {
        int size = 4 << 20;
        Slabs slabs = new Slabs(size);
        List<ByteBuffer> got = new ArrayList<>();
        got.add(slabs.take(2));
        got.add(slabs.take(2));
        assertEquals(1, slabs.slabsMade());
        got.add(slabs.take(3));
        assertEquals(2, slabs.slabsMade());
        got.add(slabs.take(3));
        got.add(slabs.take(3));
        assertEquals(2, slabs.slabsMade(), "a slab made for three serves three");
        got.add(slabs.take(0));
        assertEquals(3, slabs.slabsMade(), "a count under one still makes a slab of one");
        for (int i = 0; i < got.size(); i++) {
            ByteBuffer b = got.get(i);
            assertTrue(b.isDirect());
            assertEquals(size, b.capacity());
            assertEquals(0, b.position());
            assertEquals(0, b.alignmentOffset(0, Slabs.HUGE_PAGE), "buffer " + i + " starts on a 2 MiB boundary");
            assertEquals(0, b.get(size / 2), "a new buffer is zeroed");
            b.put(0, (byte) (i + 1)).put(size / 2, (byte) (i + 1)).put(size - 1, (byte) (i + 1));
        }
        for (int i = 0; i < got.size(); i++) {
            ByteBuffer b = got.get(i);
            assertEquals(i + 1, b.get(0), "buffer " + i + " shares no bytes with another");
            assertEquals(i + 1, b.get(size / 2));
            assertEquals(i + 1, b.get(size - 1));
        }
    }

    @Test
    void smallerBuffersStartOnABoundaryOfTheirOwnSize() {
        int size = 256 << 10;
        Slabs slabs = new Slabs(size);
        for (int i = 0; i < 20; i++) {
            ByteBuffer b = slabs.take(8);
            assertEquals(size, b.capacity());
            assertEquals(0, b.alignmentOffset(0, size));
        }
        assertEquals(3, slabs.slabsMade());
    }

    @Test
    void aSizeThatIsNotWholePagesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Slabs(4097));
        assertThrows(IllegalArgumentException.class, () -> new Slabs(0));
    }
}
