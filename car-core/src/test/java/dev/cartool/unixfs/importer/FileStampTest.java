package dev.cartool.unixfs.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tells pack and cid that a file changed under them: its size or its modification time. */
class FileStampTest {
    @TempDir
    Path tmp;

    @Test
    void aFileLeftAloneKeepsItsStampAndAChangedOneDoesNot() throws Exception {
        Path p = tmp.resolve("f");
        Files.write(p, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
        DagNode.FileStamp before = DagNode.FileStamp.of(p);
        assertEquals(before, DagNode.FileStamp.of(p));
        assertEquals(before.hashCode(), DagNode.FileStamp.of(p).hashCode());

        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_001_000L)); // touched, same size
        assertNotEquals(before, DagNode.FileStamp.of(p));

        Files.write(p, new byte[] {1, 2, 3, 4});
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L)); // grew, same time
        assertNotEquals(before, DagNode.FileStamp.of(p));
        assertNotEquals(before, "not a stamp");
    }
}
