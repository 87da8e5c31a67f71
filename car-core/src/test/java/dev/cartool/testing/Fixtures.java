package dev.cartool.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where test inputs live: the project's own {@code testdata/} (peer-made, committed) and the
 * shared go-car fixtures beside the project (tests that need them skip when absent).
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** The project's root directory. */
    public static Path projectDir() {
        String p = System.getProperty("car.project.dir");
        Path dir = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project's testdata/ directory");
        }
        return dir;
    }

    public static Path testdata(String name) {
        Path f = projectDir().resolve("testdata").resolve(name);
        if (!Files.exists(f)) {
            throw new IllegalStateException("missing fixture " + f + " (testdata/regen makes it)");
        }
        return f;
    }

    /** A go-car fixture from ../shared/fixtures/go-car; skips the test when that folder is absent. */
    public static Path goCar(String name) {
        Path f = projectDir().resolve("../shared/fixtures/go-car").resolve(name).normalize();
        assumeTrue(Files.exists(f), "go-car fixtures not present at " + f.getParent());
        return f;
    }

    public static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a test does with bytes written to a file. */
    @FunctionalInterface
    public interface FileUse<T> {
        T apply(Path file) throws IOException;
    }

    /** Writes {@code data} to a temp file, applies {@code use} to it, deletes it. */
    public static <T> T asTempFile(byte[] data, FileUse<T> use) throws IOException {
        Path tmp = Files.createTempFile("car-test", ".car");
        try {
            Files.write(tmp, data);
            return use.apply(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Parses testdata's JSON files (fixtures.json, cids.json ...). */
    public static com.fasterxml.jackson.databind.JsonNode json(String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(testdata(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree (test scratch space), symlinks not followed. */
    public static void deleteTree(Path root) throws java.io.IOException {
        if (!java.nio.file.Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    /**
     * Packs a file or directory into a CARv1 at {@code car} (CIDv1, Kubo's chunking and layout)
     * and returns the DAG's root: an input made by our own importer, for tests of what reads it
     * (interop tests use the peers' files in testdata/ instead).
     */
    public static dev.cartool.unixfs.importer.DagNode packed(Path in, Path car) throws IOException {
        dev.cartool.unixfs.importer.DagNode root;
        try (dev.cartool.unixfs.importer.Importer imp = new dev.cartool.unixfs.importer.Importer(
                dev.cartool.unixfs.importer.ImportProfile.KUBO, 1, false, 0)) {
            root = imp.importPath(in);
        }
        dev.cartool.unixfs.pack.DagPacker.write(root, car, false, n -> { });
        return root;
    }
}
