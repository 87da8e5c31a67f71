package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the offset, length and buffer, a positional read gives the file's bytes at that
 * offset in the buffer's remaining space, reports a file that ends first, and leaves the
 * channel's position alone.
 */
class PreadsProperties {
    /** Past a few pieces, so long reads cross pieces and page boundaries at every skew. */
    private static final int SIZE = 3 * Preads.PIECE + 12_345;
    private static Path dir;
    private static Path file;
    private static byte[] content;

    @BeforeContainer
    static void makeFile() throws Exception {
        dir = Files.createTempDirectory("preads");
        file = dir.resolve("f");
        content = new byte[SIZE];
        new SplittableRandom(7).nextBytes(content);
        Files.write(file, content);
    }

    @AfterContainer
    static void removeFile() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, SIZE),
                Arbitraries.integers().between(0, 40).map(i -> i * 4096), // page-aligned, as a file's leaves
                Arbitraries.integers().between(SIZE - 70_000, SIZE));
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, Preads.STRAIGHT + 10),
                Arbitraries.integers().between(0, 2 * Preads.PIECE + 100),
                Arbitraries.just(262_144));
    }

    @Property(tries = 300)
    void readsTheFilesBytesOrSaysWhereItEnded(@ForAll("offsets") int offset, @ForAll("lengths") int length,
            @ForAll boolean direct, @ForAll("slack") int before) throws Exception {
        ByteBuffer whole = direct ? ByteBuffer.allocateDirect(before + length + 5) : ByteBuffer.allocate(before + length + 5);
        // The read goes into [before, before + length) of a larger buffer: the bytes around stay.
        ByteBuffer dst = whole.duplicate().position(before).limit(before + length);
        try (FileChannel ch = FileChannel.open(file)) {
            ch.position(123);
            boolean filled = Preads.readFully(ch, dst, offset);
            int available = Math.max(0, Math.min(length, SIZE - offset));
            assertEquals(available == length, filled, "filled");
            assertEquals(before + available, dst.position(), "position after the read");
            assertEquals(123, ch.position(), "the channel's own position");
        }
        byte[] got = new byte[length + 5];
        whole.duplicate().position(before).get(got);
        byte[] want = new byte[length + 5];
        System.arraycopy(content, Math.min(offset, SIZE), want, 0, Math.max(0, Math.min(length, SIZE - offset)));
        assertArrayEquals(want, got, "bytes read, and nothing written past them");
        for (int i = 0; i < before; i++) {
            assertEquals(0, whole.get(i), "nothing written before the buffer's position");
        }
    }

    @org.junit.jupiter.api.Test
    void aDirectBufferLiesWellUnlessItIsJustPastTheSourceInItsPage() {
        ByteBuffer page = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096);
        assertTrue(Preads.landsWell(page.position(0), 0), "level");
        assertTrue(Preads.landsWell(page.position(100), 8192 + 100), "level, other pages");
        assertFalse(Preads.landsWell(page.position(16), 0), "16 bytes past: malloc's large buffers at a leaf");
        assertFalse(Preads.landsWell(page.position(0), 4096 - 1), "1 byte past, across the page");
        assertFalse(Preads.landsWell(page.position(4096 + Preads.SLOW_BELOW - 1), 4096), "the window's last byte");
        assertTrue(Preads.landsWell(page.position(Preads.SLOW_BELOW), 0), "past the window");
        assertTrue(Preads.landsWell(page.position(0), 16), "before the source, not past it");
    }

    @Provide
    Arbitrary<Integer> slack() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 5000));
    }
}
