package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a terminal gets and a log does not: progress on stderr when stderr is a terminal, for
 * every long verb (issue 10), and names escaped by ls on a terminal (issue 9).
 */
class ProgressTest {
    @TempDir
    Path tmp;

    /** Runs car under script(1), which gives it a terminal; {@code redirect} is appended to the command. */
    private String underATerminal(String args, String redirect) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.cartool.cli.CarCommand " + args
                + " " + redirect;
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true)
                .directory(tmp.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void longVerbsDrawProgressOnATerminalWithRateAndEnd() throws Exception {
        String lolcow = Fixtures.testdata("lolcow.car").toString();
        Path sif = tmp.resolve("lolcow.sif");
        assertEquals(0, Cli.run("extract", "-q", lolcow, "-o", sif.toString()).exit);
        for (String args : List.of("verify " + lolcow, "inspect --full " + lolcow, "extract " + lolcow + " -o x.sif",
                "cid " + sif, "pack " + sif + " -o x.car", "import --store store " + lolcow)) {
            String out = underATerminal(args, "");
            assertTrue(out.contains("\r") && out.contains("(100%)") && out.contains("/s"), args + ": " + out);
        }
    }

    @Test
    void aLogFileOrQuietGetsNoProgress() throws Exception {
        String lolcow = Fixtures.testdata("lolcow.car").toString();
        underATerminal("verify " + lolcow, "2>log.txt");
        assertFalse(Files.readString(tmp.resolve("log.txt")).contains("\r"), "no progress lines in a log");
        String quiet = underATerminal("verify -q " + lolcow, "");
        assertFalse(quiet.contains("\r") || quiet.contains("%"), quiet);
        String piped = underATerminal("extract " + lolcow + " -o - ", "| wc -c");
        assertTrue(piped.contains("(100%)"), "stdout a pipe, stderr a terminal: progress shows: " + piped);
    }

    @Test
    void lsEscapesControlCharactersOnATerminalOnly() throws Exception {
        byte[] leaf = "x".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        dev.cartool.cid.Cid file = dev.cartool.cid.Cid.of(dev.cartool.cid.Multicodec.RAW, dev.cartool.cid.Multicodec.SHA2_256, leaf);
        byte[] dir = dev.cartool.dagpb.DagPb.encode(new dev.cartool.dagpb.PbNode(List.of(
                new dev.cartool.dagpb.PbLink(file, "evil\u001b[2Jname", 1L), new dev.cartool.dagpb.PbLink(file, "two\nlines", 1L)),
                dev.cartool.unixfs.UnixFsData.builder(dev.cartool.unixfs.UnixFsData.Type.DIRECTORY).build().encode()));
        dev.cartool.cid.Cid root = dev.cartool.cid.Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, dir);
        Path car = tmp.resolve("names.car");
        try (java.io.OutputStream o = Files.newOutputStream(car);
                dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(o, List.of(root))) {
            w.write(dev.cartool.block.Block.of(root, dir));
            w.write(dev.cartool.block.Block.of(file, leaf));
        }
        String shown = underATerminal("ls " + car, "");
        assertTrue(shown.contains("evil\\x1b[2Jname") && shown.contains("two\\nlines"), shown);
        assertFalse(shown.contains("\u001b"), "no raw escape reaches the terminal: " + shown);
        Cli piped = Cli.run("ls", car.toString());
        assertEquals("evil\u001b[2Jname\ntwo\nlines\n", piped.out.replace("\r\n", "\n"), "piped, names are as they are");
    }
}
