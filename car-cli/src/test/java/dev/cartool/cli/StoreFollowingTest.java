package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.cartool.gateway.Gateway;
import dev.cartool.store.CarStore;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: the gateway follows the store; verbs that only read never create it and say which store they looked in. */
class StoreFollowingTest {
    @TempDir
    Path tmp;

    private static String root(String fixture) {
        return Fixtures.json("fixtures.json").get("files").get(fixture).get("root").asText();
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls for up to 5 s (the store is looked at again at most once a second). */
    private static int await(HttpClient http, String url, int want) throws Exception {
        int got = -1;
        for (int i = 0; i < 50 && got != want; i++) {
            got = status(http, url);
            if (got != want) {
                Thread.sleep(100);
            }
        }
        return got;
    }

    @Test
    void theGatewayServesImportsFromTheNextRequestAndForgetsRemovedRoots() throws Exception {
        Path dir = tmp.resolve("store");
        HttpClient http = HttpClient.newHttpClient();
        try (CarStore served = CarStore.open(dir);
                Gateway g = new Gateway(served.source(null), new InetSocketAddress("127.0.0.1", 0), 4, l -> { })) {
            g.start();
            String url = "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + root("lolcow.car");
            assertEquals(404, status(http, url));
            // Another process's import, as a user would run it while the gateway serves.
            assertEquals(0, Cli.run("import", "-q", "--store", dir.toString(), Fixtures.testdata("lolcow.car").toString()).exit);
            assertEquals(200, await(http, url, 200));
            assertEquals(0, Cli.run("store", "rm", "--store", dir.toString(), root("lolcow.car")).exit);
            assertEquals(404, await(http, url, 404));
        }
    }

    @Test
    void directoriesTheGatewayKeptDecodedAreForgottenWithTheirRoot() throws Exception {
        Path dir = tmp.resolve("store");
        HttpClient http = HttpClient.newHttpClient();
        try (CarStore served = CarStore.open(dir);
                Gateway g = new Gateway(served.source(null), new InetSocketAddress("127.0.0.1", 0), 4, l -> { })) {
            g.start();
            String url = "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + root("lolcow-wrapped.car") + "/lolcow.sif";
            assertEquals(0, Cli.run("import", "-q", "--store", dir.toString(), Fixtures.testdata("lolcow-wrapped.car").toString()).exit);
            assertEquals(200, await(http, url, 200));
            assertEquals(200, status(http, url), "served again, through the directory kept decoded");
            assertEquals(0, Cli.run("store", "rm", "--store", dir.toString(), root("lolcow-wrapped.car")).exit);
            assertEquals(404, await(http, url, 404), "the kept directory is not walked through once its blocks are gone");
        }
    }

    @Test
    void readingVerbsNeverCreateTheStoreAndNameIt() throws Exception {
        Path none = tmp.resolve("no-such-store");
        for (String[] args : new String[][] {
            {"get", root("lolcow.car"), "-o", tmp.resolve("x").toString()},
            {"store", "ls"}, {"store", "verify"}, {"store", "gc"}, {"serve"}}) {
            Cli c = Cli.runWith(Map.of("CAR_STORE", none.toString(), "HOME", tmp.toString()), args);
            assertEquals(2, c.exit, String.join(" ", args) + ": " + c);
            assertTrue(c.err.contains(none.toString()), c.err);
            assertFalse(Files.exists(none), String.join(" ", args) + " created the store");
        }
        Path empty = Files.createDirectory(tmp.resolve("empty-store"));
        Cli get = Cli.runWith(Map.of("CAR_STORE", empty.toString()), "get", root("lolcow.car"), "-o", tmp.resolve("y").toString());
        assertEquals(1, get.exit, get.toString());
        assertTrue(get.err.contains("is not in the store at " + empty) && get.err.contains("0 root(s)"), get.err);
        assertFalse(get.err.contains("missing"), "not said as if the image were damaged: " + get.err);
        try (var s = Files.list(empty)) {
            assertEquals(0, s.count(), "nothing created in it");
        }
        assertEquals("", Cli.runWith(Map.of("CAR_STORE", empty.toString()), "store", "ls").out);
    }

    @Test
    void aCidV0RootIsCachedForApptainerUnderItsDigestAndItsV1IsPrinted() throws Exception {
        Path cache = tmp.resolve("apptainer");
        String v0 = root("lolcow-cidv0.car");
        String v1 = dev.cartool.cid.Cid.parse(v0).toV1().toString();
        Cli c = Cli.runWith(Map.of("APPTAINER_CACHEDIR", cache.toString(), "HOME", tmp.toString()), "import",
                "--store", tmp.resolve("store").toString(), "--apptainer-cache", Fixtures.testdata("lolcow-cidv0.car").toString());
        assertEquals(0, c.exit, c.toString());
        assertTrue(c.err.contains("ipfs://" + v1), c.err);
        Path entry = cache.resolve("cache/ipfs").resolve(dev.cartool.apptainer.ApptainerCache.entryName(dev.cartool.cid.Cid.parse(v0)));
        assertEquals(dev.cartool.apptainer.ApptainerCache.entryName(dev.cartool.cid.Cid.parse(v1)), entry.getFileName().toString(),
                "one key for both forms");
        String sha = Fixtures.json("fixtures.json").get("files").get("lolcow-cidv0.car").get("content").get("sha256").asText();
        assertEquals(sha, BoundedMemoryTest.hash(entry));
    }
}
