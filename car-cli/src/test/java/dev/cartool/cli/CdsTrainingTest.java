package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training run: every verb it runs succeeds (a verb whose options
 * change under it would train nothing past its usage error), inside the directory it is given.
 */
class CdsTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void everyVerbOfTheTrainingSucceeds() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("training"));
        assertEquals(0, CdsTraining.train(dir));
        assertTrue(Files.size(dir.resolve("out.bin")) == 700_000, "the image extracted whole");
        assertTrue(Files.isDirectory(dir.resolve("store")), "the store it imported into");
        // The image is SIF-shaped, so inspect's report of a container image is trained too.
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("out.bin"))) {
            dev.cartool.sif.SifInfo sif = dev.cartool.sif.SifInfo.read(ch);
            assertEquals(java.util.List.of(), sif.problems());
            assertEquals(1, sif.descriptors().size());
            assertTrue(sif.summary().startsWith("SIF v01, amd64, 1 partition (squashfs primary system)"), sif.summary());
        }
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing written beside the directory given");
        }
    }
}
