package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempPathsTest {
    /** Spools, sort runs and table files hold the user's data: only the owner may read them. */
    @Test
    void aPrivateFileIsNewEmptyAndTheOwnersAlone(@TempDir Path dir) throws Exception {
        Path a = TempPaths.privateFile(dir, "car-sort-", ".run");
        Path b = TempPaths.privateFile(dir, "car-sort-", ".run");
        assertNotEquals(a, b);
        for (Path p : new Path[] {a, b}) {
            assertEquals(dir, p.getParent());
            String name = p.getFileName().toString();
            assertTrue(name.startsWith("car-sort-") && name.endsWith(".run") && name.length() > 13, name);
            assertEquals(0, Files.size(p));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
    }

    /** An unlinked file reads back what was written and leaves nothing in its directory. */
    @Test
    void anUnlinkedFileLeavesNothingBehind(@TempDir Path dir) throws Exception {
        try (java.nio.channels.FileChannel ch = TempPaths.unlinked(dir, "car-table-")) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                assertEquals(0, left.count());
            }
            java.nio.ByteBuffer back = java.nio.ByteBuffer.allocate(3);
            ch.read(back, 0);
            assertEquals(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), back.flip());
        }
    }
}
