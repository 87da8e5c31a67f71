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
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing written beside the directory given");
        }
    }
}
