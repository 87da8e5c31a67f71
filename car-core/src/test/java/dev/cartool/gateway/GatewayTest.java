package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.cid.Cid;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {
    @TempDir
    Path tmp;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<CarFileSource> sources = new ArrayList<>();
    private Gateway gateway;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private byte[] lolcow;
    private Cid lolcowRoot;
    private Cid treeRoot;

    @BeforeEach
    void start() throws Exception {
        for (String f : List.of("lolcow.car", "tree.car")) {
            CarFileSource s = CarFileSource.open(Fixtures.testdata(f));
            s.indexAll();
            sources.add(s);
        }
        lolcowRoot = sources.get(0).header().roots().get(0);
        treeRoot = sources.get(1).header().roots().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnixFsReader r = new UnixFsReader(sources.get(0));
        r.transferTo(r.load(lolcowRoot), out, n -> { });
        lolcow = out.toByteArray();
        gateway = new Gateway(both(), new InetSocketAddress("127.0.0.1", 0), 64, log::add);
        gateway.start();
        base = "http://127.0.0.1:" + gateway.address().getPort();
    }

    private BlockSource both() {
        return cid -> {
            for (CarFileSource s : sources) {
                Block b = s.get(cid);
                if (b != null) {
                    return b;
                }
            }
            return null;
        };
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        for (CarFileSource s : sources) {
            s.close();
        }
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aFileAsApptainerFetchesIt() throws Exception {
        HttpResponse<byte[]> r = get("/ipfs/" + lolcowRoot);
        assertEquals(200, r.statusCode());
        assertArrayEquals(lolcow, r.body());
        assertEquals(String.valueOf(lolcow.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("\"" + lolcowRoot + "\"", r.headers().firstValue("ETag").orElseThrow());
        assertEquals("public, max-age=29030400, immutable", r.headers().firstValue("Cache-Control").orElseThrow());
        // A gateway URL with a trailing slash gives //ipfs/.
        assertArrayEquals(lolcow, get("//ipfs/" + lolcowRoot).body());
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(base + "/ipfs/" + lolcowRoot))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(lolcow.length), head.headers().firstValue("Content-Length").orElseThrow(),
                "HEAD tells the length a GET would send");
        assertTrue(log.stream().anyMatch(l -> l.contains("GET /ipfs/" + lolcowRoot + " 200 " + lolcow.length)), log.toString());
    }

    @Test
    void rangesAndConditionalRequests() throws Exception {
        HttpResponse<byte[]> r = get("/ipfs/" + lolcowRoot, "Range", "bytes=262100-262200");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(lolcow, 262100, 262201), r.body());
        assertEquals("bytes 262100-262200/" + lolcow.length, r.headers().firstValue("Content-Range").orElseThrow());
        HttpResponse<byte[]> tail = get("/ipfs/" + lolcowRoot, "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(lolcow, lolcow.length - 10, lolcow.length), tail.body());
        assertEquals(416, get("/ipfs/" + lolcowRoot, "Range", "bytes=999999999-").statusCode());
        assertEquals(304, get("/ipfs/" + lolcowRoot, "If-None-Match", "\"" + lolcowRoot + "\"").statusCode());
    }

    @Test
    void errorsHaveTheirCodes() throws Exception {
        assertEquals(404, get("/ipfs/bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyka").statusCode());
        assertEquals(404, get("/ipfs/" + treeRoot + "/tree/nope").statusCode());
        assertEquals(400, get("/ipfs/notacid").statusCode());
        assertEquals(400, get("/ipfs/" + treeRoot + "/../etc").statusCode());
        assertEquals(404, get("/other/" + treeRoot).statusCode());
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create(base + "/ipfs/" + lolcowRoot))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
    }

    @Test
    void listingsAndPaths() throws Exception {
        HttpResponse<byte[]> json = get("/ipfs/" + treeRoot + "/tree/a", "Accept", "application/json");
        assertEquals(200, json.statusCode());
        String s = new String(json.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(s.contains("\"name\":\"run.sh\""), s);
        com.fasterxml.jackson.databind.JsonNode listing = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.body());
        UnixFsNode a = new UnixFsReader(both()).resolve(treeRoot, "tree/a");
        assertEquals(a.cid().toV1().toString(), listing.get("cid").asText());
        List<String> names = new ArrayList<>();
        listing.get("entries").forEach(e -> names.add(e.get("name").asText()));
        assertEquals(new UnixFsReader(both()).entries(a).stream().map(dev.cartool.unixfs.DirEntry::name).toList(), names);
        // A directory's listing lives at its URL with a slash, so its relative links resolve.
        HttpResponse<byte[]> moved = get("/ipfs/" + treeRoot + "/tree/sharded?x=1");
        assertEquals(301, moved.statusCode());
        assertEquals("/ipfs/" + treeRoot + "/tree/sharded/?x=1", moved.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> html = get("/ipfs/" + treeRoot + "/tree/sharded/");
        assertEquals(200, html.statusCode());
        assertTrue(new String(html.body(), java.nio.charset.StandardCharsets.UTF_8).contains("entry-01999.txt"));
        assertEquals("1999\n", new String(get("/ipfs/" + treeRoot + "/tree/sharded/entry-01999.txt").body(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void trustlessRawAndCar() throws Exception {
        HttpResponse<byte[]> raw = get("/ipfs/" + lolcowRoot + "?format=raw");
        assertEquals(200, raw.statusCode());
        assertArrayEquals(sources.get(0).get(lolcowRoot).data(), raw.body());
        assertArrayEquals(raw.body(), get("/ipfs/" + lolcowRoot, "Accept", Gateway.RAW).body());
        HttpResponse<byte[]> car = get("/ipfs/" + treeRoot + "?format=car");
        assertEquals(200, car.statusCode());
        assertArrayEquals(Fixtures.read(Fixtures.testdata("tree.car")), car.body(), "DFS order, as dag export");
        assertEquals(1, blocks(get("/ipfs/" + treeRoot + "?format=car&dag-scope=block").body()).size());
        List<Cid> entity = blocks(get("/ipfs/" + treeRoot + "/tree?format=car&dag-scope=entity").body());
        assertEquals(2, entity.size(), "the path's block and the directory's own node");
        List<Cid> file = blocks(get("/ipfs/" + lolcowRoot, "Accept", Gateway.CAR).body());
        assertEquals(3, file.size());
        assertEquals(400, get("/ipfs/" + treeRoot + "?format=car&dag-scope=nope").statusCode());
        // entity-bytes: only the blocks that hold the range (the root and the second leaf here).
        List<Cid> leaves = blocks(get("/ipfs/" + lolcowRoot + "?format=car").body());
        assertEquals(List.of(leaves.get(0), leaves.get(2)),
                blocks(get("/ipfs/" + lolcowRoot + "?format=car&entity-bytes=262144:*").body()));
        assertEquals(List.of(leaves.get(0), leaves.get(1)),
                blocks(get("/ipfs/" + lolcowRoot + "?format=car&entity-bytes=0:99").body()));
        assertEquals(leaves, blocks(get("/ipfs/" + lolcowRoot + "?format=car&entity-bytes=262100:262200").body()));
        assertEquals(List.of(leaves.get(0), leaves.get(2)),
                blocks(get("/ipfs/" + lolcowRoot + "?format=car&entity-bytes=-10:*").body()));
        assertEquals(400, get("/ipfs/" + lolcowRoot + "?format=car&entity-bytes=x").statusCode());
    }

    /** The blocks of a CAR response as a source: what a trustless client has to work with. */
    private static BlockSource only(byte[] car) throws IOException {
        java.util.Map<Cid, Block> held = new java.util.HashMap<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                held.put(b.cid(), b);
            }
        }
        return held::get;
    }

    @Test
    void aPathThroughAHamtCarriesEveryShardOnTheWay() throws Exception {
        String path = "tree/sharded/entry-00685.txt";
        for (String scope : List.of("all", "entity", "block")) {
            byte[] car = get("/ipfs/" + treeRoot + "/" + path + "?format=car&dag-scope=" + scope).body();
            // A client holding only the response can follow the path and read the file.
            UnixFsReader client = new UnixFsReader(only(car));
            UnixFsNode file = client.resolve(treeRoot, path);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.transferTo(file, out, n -> { });
            assertEquals("685\n", out.toString(java.nio.charset.StandardCharsets.UTF_8), scope);
            List<Cid> got = blocks(car);
            assertEquals(got.size(), new java.util.HashSet<>(got).size(), "each block once");
            // Root, tree, the HAMT root, at least one sub-shard, the file: nothing else.
            UnixFsReader full = new UnixFsReader(both());
            List<Cid> passed = new ArrayList<>();
            Cid target = full.resolve(treeRoot, dev.cartool.cid.IpfsPath.segments(path), passed::add).cid();
            passed.add(target);
            assertEquals(passed, got, scope);
            assertTrue(passed.size() >= 5, "a sub-shard was passed: " + passed.size());
        }
    }

    @Test
    void theEntityOfAHamtIsItsShardsNotItsFiles() throws Exception {
        UnixFsReader full = new UnixFsReader(both());
        UnixFsNode dir = full.resolve(treeRoot, "tree/sharded");
        List<Cid> got = blocks(get("/ipfs/" + dir.cid() + "?format=car&dag-scope=entity").body());
        // Every shard of the directory, found by a full walk of the fixture, and only those.
        java.util.Set<Cid> shards = new java.util.HashSet<>();
        java.util.Deque<UnixFsNode> todo = new java.util.ArrayDeque<>(List.of(dir));
        while (!todo.isEmpty()) {
            UnixFsNode n = todo.pop();
            shards.add(n.cid());
            for (dev.cartool.dagpb.PbLink l : n.links()) {
                UnixFsNode c = full.load(l.hash());
                if (c.isHamt()) {
                    todo.push(c);
                }
            }
        }
        assertEquals(shards, new java.util.HashSet<>(got));
        assertEquals(shards.size(), got.size());
        assertTrue(shards.size() > 1);
        // Listing the directory needs nothing more.
        assertEquals(2000, new UnixFsReader(only(get("/ipfs/" + dir.cid() + "?format=car&dag-scope=entity").body()))
                .entries(dir).size());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void carResponsesSayWhatTheyAreAsTheTrustlessSpecAsks() throws Exception {
        HttpResponse<byte[]> car = get("/ipfs/" + treeRoot + "/tree/a?format=car&dag-scope=entity");
        assertEquals(200, car.statusCode());
        assertEquals("application/vnd.ipld.car; version=1; order=dfs; dups=n", header(car, "Content-Type"));
        assertEquals("none", header(car, "Accept-Ranges"));
        UnixFsNode a = new UnixFsReader(both()).resolve(treeRoot, "tree/a");
        assertEquals("attachment; filename=\"" + a.cid() + ".car\"", header(car, "Content-Disposition"));
        String etag = header(car, "ETag");
        assertTrue(etag.startsWith("W/\"" + a.cid().toV1() + ".car."), etag);
        // Each scope, range and path has its own tag; the same request has the same one.
        assertEquals(etag, header(get("/ipfs/" + treeRoot + "/tree/a?format=car&dag-scope=entity"), "ETag"));
        assertTrue(!etag.equals(header(get("/ipfs/" + treeRoot + "/tree/a?format=car&dag-scope=all"), "ETag")));
        assertEquals("/ipfs/" + treeRoot + "/tree/a", header(car, "X-Ipfs-Path"));
        UnixFsNode tree = new UnixFsReader(both()).resolve(treeRoot, "tree");
        assertEquals(treeRoot + "," + tree.cid() + "," + a.cid(), header(car, "X-Ipfs-Roots"));
        assertEquals("attachment; filename=\"x.car\"",
                header(get("/ipfs/" + treeRoot + "?format=car&filename=x.car"), "Content-Disposition"));
        // Variants not offered are said to be, not answered with another.
        assertEquals(406, get("/ipfs/" + treeRoot, "Accept", Gateway.CAR + "; version=2").statusCode());
        assertEquals(406, get("/ipfs/" + treeRoot + "?format=car&car-version=2").statusCode());
        assertEquals(406, get("/ipfs/" + treeRoot + "?format=car&car-order=bfs").statusCode());
        assertEquals(200, get("/ipfs/" + treeRoot, "Accept", Gateway.CAR + "; version=1; order=unk").statusCode());
    }

    @Test
    void rawOnAContentPathIsTheBlockThePathEndsAt() throws Exception {
        UnixFsNode c = new UnixFsReader(both()).resolve(treeRoot, "tree/a/b/c.txt");
        HttpResponse<byte[]> raw = get("/ipfs/" + treeRoot + "/tree/a/b/c.txt?format=raw");
        assertEquals(200, raw.statusCode());
        assertArrayEquals(c.block().data(), raw.body());
        assertEquals("attachment; filename=\"" + c.cid() + ".bin\"", header(raw, "Content-Disposition"));
        assertEquals("application/vnd.ipld.raw", header(raw, "Content-Type"));
        assertEquals("attachment; filename=\"c.bin\"",
                header(get("/ipfs/" + c.cid() + "?format=raw&filename=c.bin"), "Content-Disposition"));
        HttpResponse<byte[]> byAccept = get("/ipfs/" + treeRoot + "/tree/a/b/c.txt?x=1", "Accept", Gateway.RAW);
        assertEquals(200, byAccept.statusCode());
        assertEquals("/ipfs/" + treeRoot + "/tree/a/b/c.txt?x=1&format=raw", header(byAccept, "Content-Location"));
        assertEquals(null, header(raw, "Content-Location"), "asked by URL already");
    }

    @Test
    void ifNoneMatchTakesListsWeakTagsAndStar() throws Exception {
        String strong = "\"" + lolcowRoot.toV1() + "\"";
        for (String inm : List.of(strong, "W/" + strong, "\"other\", " + strong, "*")) {
            HttpResponse<byte[]> r = get("/ipfs/" + lolcowRoot, "If-None-Match", inm);
            assertEquals(304, r.statusCode(), inm);
            assertEquals(0, r.body().length);
        }
        assertEquals(200, get("/ipfs/" + lolcowRoot, "If-None-Match", "\"other\"").statusCode());
        String carTag = header(get("/ipfs/" + lolcowRoot + "?format=car"), "ETag");
        assertEquals(304, get("/ipfs/" + lolcowRoot + "?format=car", "If-None-Match", carTag).statusCode());
        String rawTag = header(get("/ipfs/" + lolcowRoot + "?format=raw"), "ETag");
        assertEquals(304, get("/ipfs/" + lolcowRoot + "?format=raw", "If-None-Match", rawTag).statusCode());
    }

    @Test
    void onlyIfCachedIs412ForWhatIsNotHeld() throws Exception {
        Cid absent = Cid.of(0x55, 0x12, "not held".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(412, get("/ipfs/" + absent, "Cache-Control", "only-if-cached").statusCode());
        assertEquals(404, get("/ipfs/" + absent).statusCode());
        assertEquals(200, get("/ipfs/" + lolcowRoot + "?format=raw", "Cache-Control", "only-if-cached").statusCode());
    }

    @Test
    void dupsYesSendsABlockEveryTimeTheWalkMeetsIt() throws Exception {
        // The zeros fixture repeats one leaf: once with dups=n, at every link with dups=y.
        CarFileSource zeros = CarFileSource.open(Fixtures.testdata("zeros-kubo.car"));
        zeros.indexAll();
        sources.add(zeros);
        Cid root = zeros.header().roots().get(0);
        HttpResponse<byte[]> once = get("/ipfs/" + root + "?format=car");
        HttpResponse<byte[]> every = get("/ipfs/" + root, "Accept", Gateway.CAR + "; version=1; order=dfs; dups=y");
        assertEquals(Gateway.CAR + "; version=1; order=dfs; dups=y", header(every, "Content-Type"));
        List<Cid> a = blocks(once.body());
        List<Cid> b = blocks(every.body());
        assertEquals(a.size(), new java.util.HashSet<>(a).size());
        // Every link of every node, plus the root: counted from the DAG itself.
        UnixFsReader r = new UnixFsReader(zeros);
        long expected = 1;
        java.util.Deque<Cid> todo = new java.util.ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            UnixFsNode n = r.load(todo.pop());
            for (dev.cartool.dagpb.PbLink l : n.links()) {
                expected++;
                todo.push(l.hash());
            }
        }
        assertEquals(expected, b.size());
        assertTrue(b.size() > a.size());
        assertEquals(b, blocks(get("/ipfs/" + root + "?format=car&car-dups=y").body()));
    }

    @Test
    void corsAndOptions() throws Exception {
        HttpResponse<byte[]> opt = http.send(HttpRequest.newBuilder(URI.create(base + "/ipfs/" + lolcowRoot))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, opt.statusCode());
        assertEquals("*", header(opt, "Access-Control-Allow-Origin"));
        assertTrue(header(opt, "Access-Control-Allow-Methods").contains("GET"));
        assertEquals("*", header(get("/ipfs/" + lolcowRoot), "Access-Control-Allow-Origin"));
    }

    @Test
    void theProbeCidAnswersAsTheSpecSays() throws Exception {
        HttpResponse<byte[]> raw = get("/ipfs/bafkqaaa?format=raw");
        assertEquals(200, raw.statusCode());
        assertEquals(0, raw.body().length);
        HttpResponse<byte[]> car = get("/ipfs/bafkqaaa?format=car");
        assertEquals(200, car.statusCode());
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car.body()))) {
            assertEquals(List.of(Cid.parse("bafkqaaa")), r.header().roots());
            assertEquals(null, r.next(), "no identity block in a CAR response");
        }
    }

    @Test
    void severalRangesAreOneMultipartResponse() throws Exception {
        // Two ranges in two different leaves, asked out of order, and one past the end (dropped).
        HttpResponse<byte[]> r = get("/ipfs/" + lolcowRoot, "Range", "bytes=300000-300009, 5-9, 99999999-");
        assertEquals(206, r.statusCode());
        String type = header(r, "Content-Type");
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String boundary = type.substring(type.indexOf('=') + 1);
        String body = new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] parts = body.split("--" + java.util.regex.Pattern.quote(boundary));
        assertEquals(4, parts.length, "preamble, two parts, the closing delimiter");
        assertEquals("--\r\n", parts[3]);
        long[][] want = {{300000, 300009}, {5, 9}};
        for (int i = 0; i < 2; i++) {
            String part = parts[i + 1];
            assertTrue(part.contains("Content-Range: bytes " + want[i][0] + "-" + want[i][1] + "/" + lolcow.length), part);
            String data = part.substring(part.indexOf("\r\n\r\n") + 4, part.length() - 2);
            assertEquals(new String(java.util.Arrays.copyOfRange(lolcow, (int) want[i][0], (int) want[i][1] + 1),
                    java.nio.charset.StandardCharsets.ISO_8859_1), data);
        }
        assertEquals(String.valueOf(r.body().length), header(r, "Content-Length"));
        assertEquals(416, get("/ipfs/" + lolcowRoot, "Range", "bytes=99999999-, 99999998-").statusCode());
        // One range is still a plain 206.
        HttpResponse<byte[]> one = get("/ipfs/" + lolcowRoot, "Range", "bytes=5-9");
        assertEquals("bytes 5-9/" + lolcow.length, header(one, "Content-Range"));
        assertArrayEquals(java.util.Arrays.copyOfRange(lolcow, 5, 10), one.body());
    }

    @Test
    void aTreeAsTarHoldsWhatTheJsStackPacked() throws Exception {
        HttpResponse<byte[]> r = get("/ipfs/" + treeRoot + "?format=tar&filename=t.tar");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-tar", header(r, "Content-Type"));
        assertEquals("attachment; filename=\"t.tar\"", header(r, "Content-Disposition"));
        com.fasterxml.jackson.databind.JsonNode want = Fixtures.json("fixtures.json").get("files").get("tree.car");
        java.util.Map<String, org.apache.commons.compress.archivers.tar.TarArchiveEntry> seen = new java.util.HashMap<>();
        java.util.Map<String, String> sha = new java.util.HashMap<>();
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(r.body()))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                assertTrue(e.getName().startsWith("t/") || e.getName().equals("t/"), e.getName());
                String name = e.getName().substring(2).replaceAll("/$", "");
                seen.put(name, e);
                if (e.isFile()) {
                    sha.put(name, java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                }
            }
        }
        for (java.util.Iterator<String> it = want.get("files").fieldNames(); it.hasNext();) {
            String f = it.next();
            com.fasterxml.jackson.databind.JsonNode w = want.get("files").get(f);
            assertEquals(w.get("sha256").asText(), sha.get(f), f);
            if (!w.get("mode").isNull()) {
                assertEquals(w.get("mode").asInt(), seen.get(f).getMode() & 07777, f);
            }
            if (!w.get("mtime").isNull()) {
                assertEquals(w.get("mtime").asLong(), seen.get(f).getModTime().getTime() / 1000, f);
            }
        }
        for (java.util.Iterator<String> it = want.get("symlinks").fieldNames(); it.hasNext();) {
            String l = it.next();
            assertTrue(seen.get(l).isSymbolicLink(), l);
            assertEquals(want.get("symlinks").get(l).asText(), seen.get(l).getLinkName());
        }
        for (com.fasterxml.jackson.databind.JsonNode d : want.get("directories")) {
            assertTrue(seen.get(d.asText()).isDirectory(), d.asText());
        }
        assertEquals(2000, seen.keySet().stream().filter(n -> n.startsWith("tree/sharded/")).count());
        // A file alone is one entry named by the CID; HEAD sends no body.
        HttpResponse<byte[]> one = get("/ipfs/" + lolcowRoot, "Accept", "application/x-tar");
        try (org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(one.body()))) {
            assertEquals(lolcowRoot.toString(), in.getNextEntry().getName());
            assertArrayEquals(lolcow, in.readAllBytes());
            assertEquals(null, in.getNextEntry());
        }
        assertEquals(400, get("/ipfs/" + treeRoot + "?format=tar&filename=..").statusCode());
    }

    @Test
    void conversionsGiveTheBytesTheJsCodecsGive() throws Exception {
        com.fasterxml.jackson.databind.JsonNode v = dag();
        // DAG-CBOR as DAG-JSON: keys by their bytes, links and bytes in DAG-JSON's forms.
        HttpResponse<byte[]> j = get("/ipfs/" + v.get("root").asText() + "?format=dag-json");
        assertEquals(200, j.statusCode());
        assertEquals("application/vnd.ipld.dag-json", header(j, "Content-Type"));
        assertEquals("inline; filename=\"" + v.get("root").asText() + ".json\"", header(j, "Content-Disposition"));
        assertEquals(v.get("rootAsDagJsonHex").asText(), java.util.HexFormat.of().formatHex(j.body()));
        // DAG-PB's logical form, as DAG-JSON and as DAG-CBOR (Accept works as format= does).
        String pb = v.get("dagPb").asText();
        assertEquals(v.get("dagPbAsDagJsonHex").asText(), java.util.HexFormat.of().formatHex(
                get("/ipfs/" + pb + "?format=dag-json").body()));
        HttpResponse<byte[]> c = get("/ipfs/" + pb, "Accept", "application/vnd.ipld.dag-cbor");
        assertEquals("attachment; filename=\"" + pb + ".cbor\"", header(c, "Content-Disposition"));
        assertEquals(v.get("dagPbAsDagCborHex").asText(), java.util.HexFormat.of().formatHex(c.body()));
        // DAG-JSON as DAG-CBOR.
        assertEquals(v.get("dagJsonAsDagCborHex").asText(), java.util.HexFormat.of().formatHex(
                get("/ipfs/" + v.get("dagJson").asText() + "?format=dag-cbor").body()));
        // The file under the directory still comes out as a file without a format.
        assertEquals("a file linked from DAG-CBOR\n", new String(get("/ipfs/" + pb + "/f.txt").body(),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void pathingThroughDagPbThatIsNotUnixFsIs501AndItsDataIsStillServed() throws Exception {
        // Sound DAG-PB without UnixFS Data, linking to a file: not a damaged block (502), not
        // something missing (404); the path is not served, the node is, as its logical form.
        dev.cartool.dagpb.PbNode node = new dev.cartool.dagpb.PbNode(
                List.of(new dev.cartool.dagpb.PbLink(lolcowRoot, "x", 1L)), null);
        byte[] bytes = dev.cartool.dagpb.DagPb.encode(node);
        Cid pb = Cid.of(dev.cartool.cid.Multicodec.DAG_PB, dev.cartool.cid.Multicodec.SHA2_256, bytes);
        Path car = tmp.resolve("pb.car");
        try (dev.cartool.car.CarWriter w = dev.cartool.car.CarWriter.create(java.nio.file.Files.newOutputStream(car), List.of(pb))) {
            w.write(pb, bytes);
        }
        CarFileSource s = CarFileSource.open(car);
        s.indexAll();
        sources.add(s);
        HttpResponse<byte[]> r = get("/ipfs/" + pb + "/x");
        assertEquals(501, r.statusCode());
        assertTrue(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8).contains("not UnixFS"));
        HttpResponse<byte[]> j = get("/ipfs/" + pb + "?format=dag-json");
        assertEquals(200, j.statusCode());
        assertEquals("{\"Links\":[{\"Hash\":{\"/\":\"" + lolcowRoot + "\"},\"Name\":\"x\",\"Tsize\":1}]}",
                new String(j.body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The JS-made IPLD vectors, served beside the UnixFS fixtures. */
    private com.fasterxml.jackson.databind.JsonNode dag() throws IOException {
        CarFileSource s = CarFileSource.open(Fixtures.testdata("dag-vectors.car"));
        s.indexAll();
        sources.add(s);
        return Fixtures.json("dag-vectors.json");
    }

    @Test
    void pathsCrossDagCborLinksAsIpldPathing() throws Exception {
        com.fasterxml.jackson.databind.JsonNode v = dag();
        String root = v.get("root").asText();
        // foo/link is a link (to middle); /bar in middle is a link to hello: two blocks crossed.
        HttpResponse<byte[]> hello = get("/ipfs/" + root + "/foo/link/bar");
        assertEquals(200, hello.statusCode());
        assertEquals(v.get("helloBytesHex").asText(), java.util.HexFormat.of().formatHex(hello.body()));
        assertEquals("application/vnd.ipld.dag-cbor", header(hello, "Content-Type"));
        assertEquals("attachment; filename=\"" + v.get("hello").asText() + ".cbor\"", header(hello, "Content-Disposition"));
        assertEquals(root + "," + v.get("middle").asText() + "," + v.get("hello").asText(), header(hello, "X-Ipfs-Roots"));
        // A list index is a path segment too.
        assertEquals(v.get("helloBytesHex").asText(), java.util.HexFormat.of().formatHex(
                get("/ipfs/" + root + "/foo/link/list/1").body()));
        // Through a link into UnixFS: the file's bytes.
        assertEquals("a file linked from DAG-CBOR\n", new String(get("/ipfs/" + root + "/file").body(),
                java.nio.charset.StandardCharsets.UTF_8));
        // Ending inside a block at something that is not a link: 501, as other gateways.
        HttpResponse<byte[]> inside = get("/ipfs/" + root + "/foo");
        assertEquals(501, inside.statusCode());
        assertTrue(new String(inside.body(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("reading IPLD Kinds other than Links (CBOR Tag 42) is not implemented"));
        assertEquals(501, get("/ipfs/" + root + "/foo/n").statusCode());
        assertEquals(404, get("/ipfs/" + root + "/foo/i-do-not-exist").statusCode());
        assertEquals(404, get("/ipfs/" + root + "/foo/link/list/2").statusCode());
        assertEquals(404, get("/ipfs/" + root + "/file/below-a-file").statusCode());
        // A CAR of the path carries the blocks that verify it: root, middle, then hello.
        List<Cid> car = blocks(get("/ipfs/" + root + "/foo/link/bar?format=car").body());
        assertEquals(List.of(Cid.parse(root), Cid.parse(v.get("middle").asText()), Cid.parse(v.get("hello").asText())), car);
    }

    @Test
    void ipldCodecsAreServedAsThemselvesAndConversionsAre406() throws Exception {
        com.fasterxml.jackson.databind.JsonNode v = dag();
        Object[][] rows = {
            {"root", "application/vnd.ipld.dag-cbor", "attachment", "cbor", "dag-cbor"},
            {"dagJson", "application/vnd.ipld.dag-json", "inline", "json", "dag-json"},
            {"json", "application/json", "inline", "json", "json"},
            {"cbor", "application/cbor", "attachment", "cbor", "cbor"},
        };
        for (Object[] row : rows) {
            String cid = v.get((String) row[0]).asText();
            byte[] raw = get("/ipfs/" + cid + "?format=raw").body();
            for (HttpResponse<byte[]> r : List.of(get("/ipfs/" + cid), get("/ipfs/" + cid + "?format=" + row[4]))) {
                assertEquals(200, r.statusCode(), cid);
                assertArrayEquals(raw, r.body(), "the block's own bytes: " + cid);
                assertEquals(row[1], header(r, "Content-Type"));
                assertEquals(row[2] + "; filename=\"" + cid + "." + row[3] + "\"", header(r, "Content-Disposition"));
            }
        }
        String root = v.get("root").asText();
        assertEquals(200, get("/ipfs/" + v.get("dagJson").asText(), "Accept", "application/vnd.ipld.dag-json").statusCode());
        // The plain types give the same data with the plain media type.
        HttpResponse<byte[]> plain = get("/ipfs/" + root + "?format=cbor");
        assertEquals("application/cbor", header(plain, "Content-Type"));
        assertArrayEquals(get("/ipfs/" + root + "?format=raw").body(), plain.body());
        HttpResponse<byte[]> asJson = get("/ipfs/" + root, "Accept", "application/json");
        assertEquals("application/json", header(asJson, "Content-Type"));
        assertEquals(v.get("rootAsDagJsonHex").asText(), java.util.HexFormat.of().formatHex(asJson.body()));
        assertEquals("attachment; filename=\"x.cbor\"",
                header(get("/ipfs/" + root + "?format=dag-cbor&filename=x.cbor&download=true"), "Content-Disposition"));
        assertEquals("\"" + root + ".dag-cbor\"", header(get("/ipfs/" + root), "ETag"));
        // A range of a codec response is a range of its bytes.
        HttpResponse<byte[]> part = get("/ipfs/" + root, "Range", "bytes=2-5");
        assertEquals(206, part.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(plain.body(), 2, 6), part.body());
        // A browser gets a page.
        HttpResponse<byte[]> page = get("/ipfs/" + root + "/", "Accept", "text/html");
        assertTrue(header(page, "Content-Type").startsWith("text/html"));
        assertTrue(header(page, "ETag").contains("DagIndex-"));
        assertEquals(null, header(page, "Content-Disposition"));
        assertEquals(null, header(page, "Cache-Control"));
        assertTrue(new String(page.body(), java.nio.charset.StandardCharsets.UTF_8).contains("</html>"));
        assertEquals(406, get("/ipfs/" + v.get("file").asText() + "?format=dag-json").statusCode(), "a raw block");
        HttpResponse<byte[]> noop = get("/ipfs/" + lolcowRoot + "?format=json");
        assertEquals(200, noop.statusCode());
        assertArrayEquals(lolcow, noop.body());
        assertEquals(406, get("/ipfs/" + lolcowRoot + "?format=ipns-record").statusCode());
        assertEquals(400, get("/ipfs/" + lolcowRoot + "?format=nonsense").statusCode());
    }

    private static List<Cid> blocks(byte[] car) throws IOException {
        List<Cid> out = new ArrayList<>();
        try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
            Block b;
            while ((b = r.next()) != null) {
                out.add(b.cid());
            }
        }
        return out;
    }

    @Test
    void sixtyFourConcurrentDownloadsAreByteExact() throws Exception {
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/ipfs/" + lolcowRoot)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> r = f.get();
            assertEquals(200, r.statusCode());
            assertArrayEquals(lolcow, r.body());
        }
    }

    /**
     * A file served again goes out from the CAR by sendfile (its leaves were checked the first
     * time): whole, in a range across both leaves, a small one answered from memory and in
     * several ranges, from a CAR file and from the store, the bytes the JS stack recorded.
     */
    @Test
    void aFileServedAgainIsTheSameBytesFromACarAndFromTheStore() throws Exception {
        com.fasterxml.jackson.databind.JsonNode want = Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("content");
        try (dev.cartool.store.CarStore store = dev.cartool.store.CarStore.open(tmp.resolve("store"))) {
            store.importCar(Fixtures.testdata("lolcow.car"));
            for (BlockSource source : List.of(sources.get(0), store.source(null))) {
                try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, log::add)) {
                    g.start();
                    String b = "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + lolcowRoot;
                    for (int i = 0; i < 3; i++) {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(b)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(200, r.statusCode());
                        assertEquals(want.get("size").asInt(), r.body().length);
                        assertEquals(want.get("sha256").asText(), java.util.HexFormat.of().formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(r.body())), source + " time " + i);
                        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create(b))
                                .header("Range", "bytes=200000-300000").build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(206, part.statusCode());
                        assertArrayEquals(Arrays.copyOfRange(r.body(), 200_000, 300_001), part.body());
                        // Small enough to be answered in memory, from a leaf already checked: on a
                        // connection of its own (a connection a worker served stays with it a while).
                        HttpResponse<byte[]> small = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(b))
                                .header("Range", "bytes=261000-270000").build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(206, small.statusCode());
                        assertArrayEquals(Arrays.copyOfRange(r.body(), 261_000, 270_001), small.body(), source + " time " + i);
                        HttpResponse<byte[]> parts = http.send(HttpRequest.newBuilder(URI.create(b))
                                .header("Range", "bytes=0-99,262100-262200").build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(206, parts.statusCode());
                        String body = new String(parts.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
                        assertTrue(body.contains(new String(Arrays.copyOfRange(r.body(), 262100, 262201),
                                java.nio.charset.StandardCharsets.ISO_8859_1)), "the second part");
                    }
                }
            }
        }
    }

    /**
     * Small responses are built in memory on the selector thread; served again, their leaves come
     * from the file. The JS stack's range vectors (a 61,000-byte file in 500-byte leaves, raw and
     * CIDv0 DAG-PB leaves), each asked three times: the digests it recorded, every time.
     */
    @Test
    void rangesOfManySmallLeavesAreTheJsStacksBytesEveryTime() throws Exception {
        com.fasterxml.jackson.databind.JsonNode vectors = Fixtures.json("range-vectors.json");
        for (String name : List.of("range-raw.car", "range-v0.car")) {
            try (CarFileSource s = CarFileSource.open(Fixtures.testdata(name), CarReaderOptions.DEFAULTS, 0);
                    Gateway g = new Gateway(s, new InetSocketAddress("127.0.0.1", 0), 4, log::add)) {
                g.start();
                String b = "http://127.0.0.1:" + g.address().getPort() + "/ipfs/" + s.header().roots().get(0);
                int asked = 0;
                for (int round = 0; round < 3; round++) {
                    for (com.fasterxml.jackson.databind.JsonNode c : vectors.get("cases")) {
                        if (!c.get("car").asText().equals(name) || c.get("length").asLong() == 0) {
                            continue;
                        }
                        long from = c.get("offset").asLong();
                        long to = from + c.get("length").asLong() - 1;
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(b))
                                .header("Range", "bytes=" + from + "-" + to).build(), HttpResponse.BodyHandlers.ofByteArray());
                        String what = name + " " + from + "+" + c.get("length") + " round " + round;
                        assertEquals(206, r.statusCode(), what);
                        assertEquals(c.get("sha256").asText(), java.util.HexFormat.of().formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(r.body())), what);
                        asked++;
                    }
                }
                assertTrue(asked >= 30, "cases asked: " + asked);
            }
        }
    }

    @Test
    void aCorruptBlockIsNeverSent() throws Exception {
        byte[] car = Fixtures.read(Fixtures.testdata("lolcow.car"));
        car[car.length - 10] ^= 1; // inside the last leaf
        Path bad = Files.write(tmp.resolve("bad.car"), car);
        try (CarFileSource s = CarFileSource.open(bad, CarReaderOptions.DEFAULTS, 0);
                Gateway g = new Gateway(s, new InetSocketAddress("127.0.0.1", 0), 4, log::add)) {
            s.indexAll();
            g.start();
            String b = "http://127.0.0.1:" + g.address().getPort();
            HttpRequest req = HttpRequest.newBuilder(URI.create(b + "/ipfs/" + lolcowRoot)).build();
            // The headers are out before the bad leaf is reached: the body must come up short,
            // every time (a leaf that failed is never taken as checked and sent from the file).
            for (int i = 0; i < 3; i++) {
                assertThrows(IOException.class, () -> http.send(req, HttpResponse.BodyHandlers.ofByteArray()));
            }
            Cid leaf = Cid.parse(Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("blocks").get(2).asText());
            HttpResponse<byte[]> raw = http.send(HttpRequest.newBuilder(URI.create(b + "/ipfs/" + leaf + "?format=raw")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(502, raw.statusCode());
            assertTrue(log.stream().anyMatch(l -> l.startsWith("error:") && l.contains("hash mismatch")), log.toString());
        }
    }
}
