package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** testdata/regressions/expected.tsv: every input that once got past car, with its outcome now. */
class RegressionFixturesTest {
    @TempDir
    Path tmp;

    @Test
    void everyRegressionFixtureHasItsOutcome() throws Exception {
        Path dir = Fixtures.projectDir().resolve("testdata/regressions");
        int rows = 0;
        for (String line : Files.readAllLines(dir.resolve("expected.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            List<String> args = new ArrayList<>();
            for (String a : f[1].split(" ")) {
                args.add(a.equals("FILE") ? dir.resolve(f[0]).toString()
                        : a.equals("OUT") ? tmp.resolve("out" + rows).toString() : a);
            }
            Cli c = Cli.run(args.toArray(new String[0]));
            String what = f[0] + " (" + f[1] + "): " + c;
            assertEquals(Integer.parseInt(f[2]), c.exit, what);
            assertTrue(c.err.contains(f[3]), what);
            assertFalse(c.err.contains("\tat "), what);
            rows++;
        }
        assertTrue(rows >= 10, rows + " rows");
        assertFalse(Files.exists(tmp.resolve("out9")), "nothing left behind");
    }
}
