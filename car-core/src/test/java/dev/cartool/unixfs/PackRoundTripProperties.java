package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarVerifier;
import dev.cartool.car.CarWriter;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.extract.Extractor;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.ImportProfile;
import dev.cartool.unixfs.importer.Importer;
import dev.cartool.unixfs.pack.DagPacker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Pack then extract returns the input; packing what the JS stack packed gives its bytes. */
class PackRoundTripProperties {
    /** A random tree: relative path -> content (null for an empty directory). */
    @Provide
    Arbitrary<Map<String, byte[]>> trees() {
        Arbitrary<String> seg = Arbitraries.strings().withChars("abcdefghij_-é").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> path = seg.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
        Arbitrary<byte[]> content = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.integers().between(0, 600_000).map(n -> {
                    byte[] b = new byte[n];
                    new java.util.SplittableRandom(n).nextBytes(b);
                    return b;
                }),
                Arbitraries.just(null));
        return Combinators.combine(path, content).<Map.Entry<String, byte[]>>as(java.util.AbstractMap.SimpleEntry::new).list().ofMinSize(1).ofMaxSize(6).map(entries -> {
            Map<String, byte[]> tree = new TreeMap<>();
            for (Map.Entry<String, byte[]> e : entries) {
                // A path must not pass through another entry that is a file, nor be a prefix of one.
                boolean clash = tree.keySet().stream().anyMatch(k -> k.equals(e.getKey())
                        || k.startsWith(e.getKey() + "/") || e.getKey().startsWith(k + "/"));
                if (!clash) {
                    tree.put(e.getKey(), e.getValue());
                }
            }
            return tree;
        });
    }

    private static Path materialize(Path root, Map<String, byte[]> tree) throws IOException {
        Files.createDirectories(root);
        for (Map.Entry<String, byte[]> e : tree.entrySet()) {
            Path p = root.resolve(e.getKey());
            if (e.getValue() == null) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
        }
        return root;
    }

    @Property(tries = 40)
    void packThenExtractReturnsTheInput(@ForAll("trees") Map<String, byte[]> tree,
            @ForAll boolean v0, @ForAll boolean v2025) throws IOException {
        Path tmp = Files.createTempDirectory("pack");
        try {
            Path in = materialize(tmp.resolve("in"), tree);
            Path car = tmp.resolve("x.car");
            DagNode root;
            try (Importer imp = new Importer(v2025 ? ImportProfile.UNIXFS_V1_2025 : ImportProfile.KUBO, v0 ? 0 : 1, false, 2)) {
                root = imp.importPath(in);
            }
            try (CarWriter w = CarWriter.create(Files.newOutputStream(car), List.of(root.cid()))) {
                DagPacker.write(root, w, n -> { });
            }
            assertTrue(CarVerifier.withDefaults().verify(Files.newInputStream(car)).ok());
            Path out = tmp.resolve("out");
            try (CarFileSource src = CarFileSource.open(car)) {
                UnixFsReader r = new UnixFsReader(src);
                new Extractor(r, false, null).extract(r.load(root.cid()), out, false);
                // The packer and the exporter write DFS order by one rule: exporting the packed
                // DAG from its blocks gives the packed bytes again.
                java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
                try (CarWriter w = CarWriter.create(again, List.of(root.cid()))) {
                    dev.cartool.car.DagExporter.export(src, root.cid(), w);
                }
                org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(car), again.toByteArray());
            }
            assertEquals(snapshot(in), snapshot(out));
        } finally {
            Fixtures.deleteTree(tmp);
        }
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                m.put(rel, Files.isDirectory(p) ? "dir" : java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    @Test
    void packingWhatTheJsStackPackedGivesItsBytesExactly() throws Exception {
        Path tmp = Files.createTempDirectory("pack-js");
        try {
            for (String name : List.of("lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car", "zeros-kubo.car",
                    "zeros-v1-2025.car")) {
                byte[] js = Fixtures.read(Fixtures.testdata(name));
                Path content = tmp.resolve(name.startsWith("lolcow") ? "lolcow.sif" : "zeros");
                try (CarFileSource src = CarFileSource.open(Fixtures.testdata(name))) {
                    UnixFsReader r = new UnixFsReader(src);
                    UnixFsNode root = r.load(src.header().roots().get(0));
                    if (root.kind() == UnixFsNode.Kind.DIRECTORY) {
                        root = r.load(r.lookup(root, "lolcow.sif"));
                    }
                    Files.deleteIfExists(content);
                    new Extractor(r, false, null).extract(root, content, false);
                }
                ImportProfile profile = name.contains("v1-2025") ? ImportProfile.UNIXFS_V1_2025 : ImportProfile.KUBO;
                try (Importer imp = new Importer(profile, name.contains("cidv0") ? 0 : 1, false, 2)) {
                    DagNode root = name.contains("wrapped") ? imp.importWrapped(List.of(content)) : imp.importPath(content);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (CarWriter w = CarWriter.create(out, List.of(root.cid()))) {
                        DagPacker.write(root, w, n -> { });
                    }
                    assertArrayEquals(js, out.toByteArray(), name);
                }
            }
        } finally {
            Fixtures.deleteTree(tmp);
        }
    }

    @Test
    void aFileChangedBetweenHashingAndWritingIsRefused() throws Exception {
        Path tmp = Files.createTempDirectory("pack-change");
        try {
            Path f = Files.write(tmp.resolve("f"), new byte[300_000]);
            DagNode root;
            try (Importer imp = new Importer(ImportProfile.KUBO, 1, false, 0)) {
                root = imp.importPath(f);
            }
            Files.write(f, new byte[300_001]);
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () ->
                    DagPacker.write(root, CarWriter.create(new ByteArrayOutputStream(), List.of(root.cid())), n -> { }));
            assertTrue(e.getMessage().contains("changed after it was hashed"), e.getMessage());
        } finally {
            Fixtures.deleteTree(tmp);
        }
    }
}
