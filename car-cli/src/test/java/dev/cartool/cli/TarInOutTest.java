package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees as tar streams, out of extract and into pack, checked against GNU tar and Python's tarfile. */
class TarInOutTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    private void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, cmd[0] + " is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    /**
     * Every path under a tree: kind, mode, bytes or link target. (Mtimes: an entry without one
     * gets the extraction time as a file and the epoch in a tar; recorded ones are checked apart.)
     */
    private static List<String> describe(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.add(rel + " -> " + Files.readSymbolicLink(p));
                    continue;
                }
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                String content = Files.isRegularFile(p) ? java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) : "dir";
                out.add(rel + " " + mode + " " + content);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void extractToATarGivesWhatExtractToFilesGivesUnderGnuTar() throws Exception {
        Path car = Fixtures.testdata("tree.car");
        Path files = tmp.resolve("files");
        assertEquals(0, Cli.run("extract", s(car), "-o", s(files), "-q").exit);
        Path tar = tmp.resolve("tree.tar");
        Cli c = Cli.run("extract", s(car), "-o", s(tar));
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("wrote a tar of 2004 file(s)") && c.err.contains("2 symlink(s)"), c.err);
        Path untarred = Files.createDirectory(tmp.resolve("untarred"));
        run(untarred, "tar", "-xf", s(tar));
        assertEquals(List.of(untarred.resolve("tree")), Files.list(untarred).toList(), "the top entry is OUT's name");
        assertEquals(describe(files), describe(untarred.resolve("tree")));
        assertEquals(1_700_000_000L, Files.getLastModifiedTime(untarred.resolve("tree/tree/a/b/c.txt")).toMillis() / 1000,
                "the recorded mtime");

        // To stdout (a directory goes as a tar without asking), and compressed by name.
        Cli piped = Cli.run("extract", s(car), "-o", "-");
        assertEquals(0, piped.exit, piped.toString());
        assertEquals("", piped.err, "stdout carries the tar; nothing else is said");
        Path z = tmp.resolve("t.tar.gz");
        assertEquals(0, Cli.run("extract", s(car), "-o", s(z), "-q").exit);
        Path fromZ = Files.createDirectory(tmp.resolve("fromz"));
        run(fromZ, "tar", "-xzf", s(z));
        assertEquals(describe(files), describe(fromZ.resolve("t")));

        // A single file as a tar, named by the path.
        Cli one = Cli.run("extract", s(car), "tree/a/b/c.txt", "--format", "tar", "-o", s(tmp.resolve("c.tar")), "-q");
        assertEquals(0, one.exit, one.toString());
        Path oneDir = Files.createDirectory(tmp.resolve("one"));
        run(oneDir, "tar", "-xf", s(tmp.resolve("c.tar")));
        assertArrayEquals(Files.readAllBytes(files.resolve("tree/a/b/c.txt")), Files.readAllBytes(oneDir.resolve("c.txt")));
        assertEquals(1_700_000_000L, Files.getLastModifiedTime(oneDir.resolve("c.txt")).toMillis() / 1000);
    }

    @Test
    void packOfAGnuTarIsPackOfTheTreeItHolds() throws Exception {
        Path tree = tmp.resolve("tree");
        assertEquals(0, Cli.run("extract", s(Fixtures.testdata("tree.car")), "-o", s(tree), "-q").exit);
        Files.createLink(tree.resolve("tree/hard.bin"), tree.resolve("tree/data.bin")); // a hard link in the tar
        Files.writeString(tree.resolve(".hidden"), "skipped unless -H\n");
        Path tar = tmp.resolve("t.tar");
        run(tree, "tar", "-cf", s(tar), ".");
        Path fromDir = tmp.resolve("dir.car");
        Path fromTar = tmp.resolve("tar.car");
        Cli a = Cli.run("pack", s(tree), "-o", s(fromDir));
        Cli b = Cli.run("pack", s(tar), "-o", s(fromTar));
        assertEquals(0, b.exit, b.toString());
        assertEquals(a.out, b.out, "the same root");
        assertArrayEquals(Files.readAllBytes(fromDir), Files.readAllBytes(fromTar), "the same CAR, byte for byte");
        assertEquals(Cli.run("cid", "-H", s(tree)).out, Cli.run("cid", "-H", s(tar)).out, "hidden names, as -H says");

        // From stdin, gzip-compressed: spooled (said on stderr), then the same.
        Path tgz = tmp.resolve("t.tgz");
        run(tree, "tar", "-czf", s(tgz), ".");
        InputStream saved = System.in;
        try (InputStream in = Files.newInputStream(tgz)) {
            System.setIn(in);
            Cli c = Cli.run("pack", "-", "-o", s(tmp.resolve("stdin.car")));
            assertEquals(0, c.exit, c.toString());
            assertTrue(c.err.contains("standard input: a tar is read from a file; spooling it"), c.err);
        } finally {
            System.setIn(saved);
        }
        assertArrayEquals(Files.readAllBytes(fromDir), Files.readAllBytes(tmp.resolve("stdin.car")));
        // --from files packs the archive itself as one file.
        Cli asFile = Cli.run("cid", "--from", "files", s(tar));
        Cli plain = Cli.run("cid", s(tar), "--from", "files");
        assertEquals(plain.out, asFile.out);
        assertFalse(asFile.out.equals(b.out));
    }

    @Test
    void aTarMemberThatClimbsOutIsRefusedNamingIt() throws Exception {
        Path evil = tmp.resolve("evil.tar");
        run(tmp, "python3", "-c", "import tarfile,io\n"
                + "t=tarfile.open('evil.tar','w')\n"
                + "i=tarfile.TarInfo('ok/../../escape.txt'); d=b'x'; i.size=len(d); t.addfile(i, io.BytesIO(d))\n"
                + "t.close()\n");
        Cli c = Cli.run("pack", s(evil), "-o", s(tmp.resolve("e.car")));
        assertEquals(1, c.exit, c.toString());
        assertTrue(c.err.contains("evil.tar: member 'ok/../../escape.txt' climbs out"), c.err);
        assertEquals(1, c.err.strip().lines().count(), c.err);
        assertFalse(Files.exists(tmp.resolve("e.car")));
        Path dev = tmp.resolve("dev.tar");
        run(tmp, "python3", "-c", "import tarfile\n"
                + "t=tarfile.open('dev.tar','w')\n"
                + "i=tarfile.TarInfo('fifo'); i.type=tarfile.FIFOTYPE; t.addfile(i)\n"
                + "t.close()\n");
        Cli d = Cli.run("cid", s(dev));
        assertEquals(1, d.exit, d.toString());
        assertTrue(d.err.contains("'fifo' is not a regular file, directory or symlink"), d.err);
    }
}
