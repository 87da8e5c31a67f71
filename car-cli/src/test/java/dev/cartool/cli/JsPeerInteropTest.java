package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our CARs read back by the JS stack (ipfs-unixfs-exporter over @ipld/car) to the exact input.
 * Runs when node and npm are available and the packages install; skips otherwise.
 */
class JsPeerInteropTest {
    @TempDir
    Path tmp;

    private static final String SCRIPT = String.join("\n",
            "import { readFile } from 'node:fs/promises'",
            "import { createHash } from 'node:crypto'",
            "import { CarReader } from '@ipld/car/reader'",
            "import { recursive, exporter } from 'ipfs-unixfs-exporter'",
            "const car = await CarReader.fromBytes(new Uint8Array(await readFile(process.argv[2])))",
            "const [root] = await car.getRoots()",
            "const store = { get: async function * (cid) { const b = await car.get(cid); if (!b) throw new Error('missing ' + cid); yield b.bytes } }",
            "const out = {}",
            "for await (const basic of recursive(root, store)) {",
            "  const e = basic.type !== undefined ? basic : await exporter(basic.cid, store)",
            "  e.path = basic.path",
            "  const rel = e.path.split('/').slice(1).join('/')",
            "  if (e.type === 'directory') { out[rel] = 'dir'; continue }",
            "  const h = createHash('sha256')",
            "  let body = typeof e.content === 'function' ? e.content() : e.content",
            "  if (body instanceof Promise) body = await body",
            "  if (body instanceof Uint8Array) h.update(body)",
            "  else for await (const c of body) h.update(c)",
            "  out[rel] = h.digest('hex')",
            "}",
            "console.log(JSON.stringify(out))",
            "");

    private static Path peer() throws Exception {
        Path dir = Fixtures.projectDir().resolve("car-cli/target/js-peer");
        if (Files.isDirectory(dir.resolve("node_modules/ipfs-unixfs-exporter"))) {
            return dir;
        }
        assumeTrue(run(dir.getParent(), 10, "node", "--version") == 0, "node is not available");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"private\":true,\"type\":\"module\"}");
        int rc = run(dir, 300, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                "ipfs-unixfs-exporter@16.2.2", "@ipld/car@5.4.7");
        assumeTrue(rc == 0, "npm could not install the JS peer");
        return dir;
    }

    private static int run(Path cwd, int seconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return m;
    }

    @Test
    void theJsExporterReadsOurCarsBackToTheInput() throws Exception {
        Path peer = peer();
        Path in = Files.createDirectories(tmp.resolve("in/sub/empty"));
        Files.writeString(tmp.resolve("in/readme.txt"), "hello\n");
        byte[] big = new byte[900_000];
        new java.util.SplittableRandom(9).nextBytes(big);
        Files.write(tmp.resolve("in/sub/big.bin"), big);
        Files.write(tmp.resolve("in/zeros"), new byte[3 * 262_144 + 1]);
        Path many = Files.createDirectories(tmp.resolve("in/many"));
        for (int i = 0; i < 3500; i++) {
            Files.writeString(many.resolve(String.format("file-with-a-long-descriptive-name-%04d.txt", i)), i + "\n");
        }
        Files.writeString(peer.resolve("read.mjs"), SCRIPT);
        int n = 0;
        for (String[] opts : new String[][] {{}, {"--cid-version", "0"}, {"--profile", "unixfs-v1-2025"}}) {
            Path car = tmp.resolve("t" + n++ + ".car");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("pack", "-q", in.toString(), "-o", car.toString()));
            args.addAll(java.util.List.of(opts));
            Cli c = Cli.run(args.toArray(new String[0]));
            assertEquals(0, c.exit, c.toString());
            Process p = new ProcessBuilder("node", "read.mjs", car.toString()).directory(peer.toFile()).start();
            String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), err);
            @SuppressWarnings("unchecked")
            Map<String, String> js = new TreeMap<>(new ObjectMapper().readValue(json, Map.class));
            js.remove("");
            assertEquals(snapshot(in), js, String.join(" ", opts));
        }
        // The gateway's format=car of the same tree, read by the JS stack.
        try (dev.cartool.car.CarFileSource src = dev.cartool.car.CarFileSource.open(tmp.resolve("t0.car"));
                dev.cartool.gateway.Gateway g = new dev.cartool.gateway.Gateway(src,
                        new java.net.InetSocketAddress("127.0.0.1", 0), 4, line -> { })) {
            src.indexAll();
            g.start();
            java.net.http.HttpResponse<Path> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + g.address().getPort()
                            + "/ipfs/" + src.header().roots().get(0) + "?format=car")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofFile(tmp.resolve("gw.car")));
            assertEquals(200, r.statusCode());
        }
        Process p = new ProcessBuilder("node", "read.mjs", tmp.resolve("gw.car").toString()).directory(peer.toFile()).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        @SuppressWarnings("unchecked")
        Map<String, String> js = new TreeMap<>(new ObjectMapper().readValue(json, Map.class));
        js.remove("");
        assertEquals(snapshot(in), js, "format=car from the gateway");
    }
}
