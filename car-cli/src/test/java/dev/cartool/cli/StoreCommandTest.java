package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cartool.store.CarStore;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.importer.DagNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreCommandTest {
    @TempDir
    Path tmp;

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void importPrintsLikeDagImportAndGetExtractsFromTheStore() throws Exception {
        Path store = tmp.resolve("store");
        String root = Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("root").asText();
        Cli imp = Cli.run("import", "--store", s(store), "--stats", s(Fixtures.testdata("lolcow.car")));
        assertEquals(0, imp.exit, imp.toString());
        assertEquals("Pinned root " + root + " success", imp.out.lines().findFirst().orElseThrow());
        assertTrue(imp.out.contains("Imported 3 blocks"), imp.out);
        Cli ls = Cli.run("store", "ls", "--store", s(store));
        assertTrue(ls.out.startsWith(root + "\t"), ls.out);
        Path out = tmp.resolve("l.sif");
        Cli get = Cli.run("get", "--store", s(store), "ipfs://" + root, "-o", s(out));
        assertEquals(0, get.exit, get.toString());
        Path viaExtract = tmp.resolve("e.sif");
        assertEquals(0, Cli.run("extract", "-q", s(Fixtures.testdata("lolcow.car")), "-o", s(viaExtract)).exit);
        assertArrayEquals(Files.readAllBytes(viaExtract), Files.readAllBytes(out));
        Cli missing = Cli.run("get", "--store", s(store), Fixtures.json("fixtures.json").get("files").get("tree.car").get("root").asText(),
                "-o", s(tmp.resolve("nope")));
        assertEquals(1, missing.exit);
        // A root the store does not hold is said so, with the store's path (issue 10), not as a damaged image.
        assertTrue(missing.err.contains("is not in the store at " + store), missing.err);
        assertEquals(0, Cli.run("store", "verify", "--store", s(store)).exit);
        assertEquals(0, Cli.run("store", "rm", "--store", s(store), root).exit);
        assertEquals("", Cli.run("store", "ls", "--store", s(store)).out);
        Cli bad = Cli.run("import", "--store", s(store), s(Fixtures.testdata("dagcbor-missing-leaf.car")));
        assertEquals(1, bad.exit);
        assertEquals("", Cli.run("store", "ls", "--store", s(store)).out);
    }

    @Test
    void printConfigGivesTheGatewayLineAndWritesTheFileWithoutNewline() throws Exception {
        // $HOME, not Java's user.home (from passwd): on clusters they can differ.
        Cli c = Cli.runWith(java.util.Map.of("HOME", tmp.toString()), "serve", "--print-config", "--listen", "127.0.0.1:9099",
                "--write-gateway-file");
        assertEquals(0, c.exit, c.toString());
        assertEquals("IPFS_GATEWAY=http://127.0.0.1:9099\n", c.out.replace("\r\n", "\n"));
        assertEquals("http://127.0.0.1:9099", Files.readString(tmp.resolve(".ipfs/gateway")));
    }

    @Test
    void twoProcessesImportingAtOnceAreSafe() throws Exception {
        Path store = tmp.resolve("store");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new java.util.ArrayList<>();
        for (String f : List.of("lolcow.car", "tree.car", "lolcow.car", "zeros-kubo.car")) {
            ps.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.cartool.cli.CarCommand",
                    "import", "--store", s(store), s(Fixtures.testdata(f)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : ps) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
        }
        try (CarStore st = CarStore.open(store)) {
            assertEquals(3, st.list().size());
            assertTrue(st.verify().values().stream().allMatch(dev.cartool.car.VerifyReport::ok));
        }
        Path out = tmp.resolve("t");
        assertEquals(0, Cli.run("get", "-q", "--store", s(store),
                Fixtures.json("fixtures.json").get("files").get("tree.car").get("root").asText() + "/tree/a/run.sh", "-o", s(out)).exit);
        assertEquals("#!/bin/sh\necho hi\n", Files.readString(out));
    }

    @Test
    void killNineDuringImportLeavesTheStoreAsItWas() throws Exception {
        // A CAR large enough that the import is still running when it is killed.
        Path big = tmp.resolve("big.bin");
        byte[] chunk = new byte[1 << 20];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        try (var o = Files.newOutputStream(big)) {
            for (int i = 0; i < 400; i++) {
                r.nextBytes(chunk);
                o.write(chunk);
            }
        }
        Path car = tmp.resolve("big.car");
        DagNode root = Fixtures.packed(big, car);
        Path store = tmp.resolve("store");
        assertEquals(0, Cli.run("import", "--store", s(store), s(Fixtures.testdata("lolcow.car"))).exit);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (long delay : new long[] {300, 900, 1600}) {
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "dev.cartool.cli.CarCommand", "import", "--store", s(store), s(car))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(delay);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            try (CarStore st = CarStore.open(store)) {
                List<CarStore.RootEntry> roots = st.list();
                boolean finished = roots.size() == 2;
                assertTrue(roots.size() == 1 || finished, "the store shows the old root, or both if the import finished: " + roots);
                assertTrue(st.verify().values().stream().allMatch(dev.cartool.car.VerifyReport::ok));
                if (finished) {
                    st.remove(root.cid());
                }
            }
        }
        Cli ls = Cli.run("store", "ls", "--store", s(store));
        assertEquals(1, ls.out.lines().count(), ls.out);
    }
}
