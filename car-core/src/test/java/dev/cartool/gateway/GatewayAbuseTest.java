package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import dev.cartool.car.CarFileSource;
import dev.cartool.cid.Cid;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 9: what a hostile or unlucky client can do to the gateway, and what it answers. */
class GatewayAbuseTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private CarFileSource source;
    private Gateway gateway;
    private int port;
    private Cid lolcow;
    private Cid tree;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        source = CarFileSource.open(Fixtures.testdata("tree.car"));
        source.indexAll();
        tree = source.header().roots().get(0);
        lolcow = Cid.parse(Fixtures.json("fixtures.json").get("files").get("lolcow.car").get("root").asText());
        // Heads may take 30 s here, so stalled clients stay stalled for the whole test.
        gateway = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 8, log::add, 30_000, 30_000, 30_000);
        gateway.start();
        port = gateway.address().getPort();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        gateway.close();
        source.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    /** Sends raw bytes; returns everything the server sends until it closes or {@code wait} passes. */
    private String exchange(String request) throws IOException {
        Socket s = connect();
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            // what arrived is what there is
        }
        return out.toByteArray();
    }

    private String get(String target) throws IOException {
        return exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void stalledClientsDoNotBlockOthers() throws Exception {
        // More stalled half-requests than worker threads (8), and idle connections besides.
        for (int i = 0; i < 100; i++) {
            Socket s = connect();
            s.getOutputStream().write("GET /ipfs/".getBytes(StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < 300; i++) {
            connect();
        }
        long t = System.nanoTime();
        String r = get("/ipfs/" + tree + "/tree/a/run.sh");
        assertEquals(200, status(r), r);
        assertTrue(r.endsWith("#!/bin/sh\necho hi\n"), r);
        // Not a speed bound: a server whose workers wait on the stalled heads answers only when
        // they time out (30 s here); this one answers at once.
        assertTrue(System.nanoTime() - t < 10_000_000_000L, "served while 400 connections wait");
    }

    @Test
    void aHeadThatNeverEndsIsTimedOutAndOneTooLargeRefused() throws Exception {
        gateway.close();
        gateway = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 8, log::add, 1500, 3000, 5000);
        gateway.start();
        port = gateway.address().getPort();
        Socket s = connect();
        s.getOutputStream().write("GET /ipfs/x HTTP/1.1\r\nHost: slow".getBytes(StandardCharsets.US_ASCII));
        String r = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
        assertEquals(408, status(r), r);
        String huge = exchange("GET /ipfs/" + tree + " HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertEquals(431, status(huge), huge);
    }

    @Test
    void malformedRequestsGetOurOwnFourHundreds() throws Exception {
        for (String bad : List.of("GARBAGE\r\n\r\n", "GET /ipfs/x\r\n\r\n", "GET /ipfs/x HTTP/2.0\r\n\r\n",
                "GET /ipfs/\u00e9 HTTP/1.1\r\n\r\n", "GET /ipfs/x HTTP/1.1\r\nno colon here\r\n\r\n")) {
            String r = exchange(bad);
            assertTrue(status(r) == 400 || status(r) == 505, bad + " -> " + r);
            assertFalse(r.contains("Exception"), r);
        }
        for (String target : List.of("/ipfs/%", "/ipfs/%zz", "/ipfs/" + tree + "?format=%", "/ipfs/not-a-cid")) {
            String r = get(target);
            assertEquals(400, status(r), target + " -> " + r);
            assertFalse(r.contains("Exception"), r);
        }
    }

    @Test
    void pathsPastAFileAreNotFoundAndBadRangesAreIgnored() throws Exception {
        String past = get("/ipfs/" + tree + "/tree/a/run.sh/x");
        assertEquals(404, status(past), past);
        for (String range : List.of("bytes=5", "bytes=", "bytes=-", "bytes=a-b", "pages=1-2")) {
            String r = exchange("GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nRange: " + range + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, status(r), range + " -> " + r);
            assertTrue(r.endsWith("#!/bin/sh\necho hi\n"), r);
        }
        String unsatisfiable = exchange("GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nRange: bytes=100-\r\nConnection: close\r\n\r\n");
        assertEquals(416, status(unsatisfiable), unsatisfiable);
        String notHeld = get("/ipfs/" + lolcow);
        assertEquals(404, status(notHeld), notHeld);
    }

    @Test
    void aNewlineInAPathCannotForgeALogLine() throws Exception {
        get("/ipfs/" + tree + "/%0a127.0.0.1%20GET%20/ipfs/forged%20200%200%201.0ms");
        synchronized (log) {
            assertFalse(log.isEmpty());
            for (String line : log) {
                assertFalse(line.contains("\n") || line.contains("\r"), line);
            }
        }
    }

    @Test
    void keepAliveAndPipelinedRequestsAreServedInOrder() throws Exception {
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        String one = "GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nHost: x\r\n\r\n";
        out.write((one + one + "GET /ipfs/" + tree + "/tree/a/b/c.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String r = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
        assertEquals(3, r.split("HTTP/1.1 200 OK", -1).length - 1, r);
        assertTrue(r.indexOf("echo hi") < r.lastIndexOf("HTTP/1.1 200"), r);
    }

    /**
     * Small responses are answered on the selector thread, large and chunked ones by a worker:
     * pipelined on one connection, a mix of both comes back whole and in order (the large ones
     * handed over with their heads still buffered).
     */
    @Test
    void smallAndLargeResponsesPipelinedComeBackInOrder() throws Exception {
        Socket s = connect();
        String small = "GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nHost: x\r\n\r\n";
        String large = "GET /ipfs/" + tree + "/tree/data.bin HTTP/1.1\r\nHost: x\r\n\r\n"; // 20,000 bytes
        String car = "GET /ipfs/" + tree + "/tree/a?format=car HTTP/1.1\r\nHost: x\r\n\r\n"; // chunked
        String missing = "GET /ipfs/" + tree + "/nope HTTP/1.1\r\nHost: x\r\n\r\n";
        String head = "HEAD /ipfs/" + tree + "/tree/data.bin HTTP/1.1\r\nHost: x\r\n\r\n";
        String hamt = "GET /ipfs/" + tree + "/tree/sharded/ HTTP/1.1\r\nHost: x\r\n\r\n"; // a listing, built by a worker
        s.getOutputStream().write((small + large + small + car + missing + head + hamt + large + small)
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String[] want = {"200 run.sh", "200 data.bin", "200 run.sh", "200 car", "404", "200 head", "200 listing",
            "200 data.bin", "200 run.sh"};
        for (String w : want) {
            String headText = head(in);
            assertEquals(w.substring(0, 3), headText.substring(9, 12), w + ": " + headText);
            if (w.endsWith("car")) {
                assertTrue(headText.contains("Transfer-Encoding: chunked"), headText);
                byte[] body = dechunk(in);
                assertTrue(body.length > 0, w);
                continue;
            }
            int length = contentLength(headText);
            byte[] body = w.endsWith("head") ? new byte[0] : in.readNBytes(length);
            if (w.endsWith("listing")) {
                assertTrue(new String(body, StandardCharsets.UTF_8).contains("entry-01079.txt"), w);
            } else if (w.endsWith("run.sh")) {
                assertEquals("#!/bin/sh\necho hi\n", new String(body, StandardCharsets.US_ASCII));
            } else if (w.endsWith("data.bin") || w.endsWith("head")) {
                assertEquals(20_000, length);
                assertEquals(w.endsWith("head") ? 0 : 20_000, body.length);
            }
        }
    }

    /**
     * HTTP/1.0: a small response (answered on the selector thread) and a large one (a worker)
     * each end with the connection, unless the client asked to keep it alive; a CAR, whose length
     * is not known ahead, is sent unchunked and ends with the connection.
     */
    @Test
    void http10ResponsesEndWithTheConnectionUnlessKeptAlive() throws Exception {
        for (String file : List.of("tree/a/run.sh", "tree/data.bin")) {
            String r = exchange("GET /ipfs/" + tree + "/" + file + " HTTP/1.0\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.0 200 OK"), r);
            assertTrue(r.contains("Connection: close"), r);
            int length = contentLength(r);
            assertEquals(length, r.length() - (r.indexOf("\r\n\r\n") + 4), file + ": the body, then the end");
        }
        Socket s = connect();
        String again = "GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        s.getOutputStream().write((again + again).getBytes(StandardCharsets.US_ASCII));
        assertTrue(response(s.getInputStream()).startsWith("HTTP/1.0 200 OK"));
        assertTrue(response(s.getInputStream()).startsWith("HTTP/1.0 200 OK"), "kept alive for the second");
        String car = exchange("GET /ipfs/" + tree + "/tree/a?format=car HTTP/1.0\r\n\r\n");
        assertTrue(car.startsWith("HTTP/1.0 200 OK") && !car.contains("chunked"), car);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            while (!line.toString().endsWith("\r\n")) {
                line.append((char) in.read());
            }
            int n = Integer.parseInt(line.toString().trim(), 16);
            out.write(in.readNBytes(n));
            in.readNBytes(2);
            if (n == 0) {
                return out.toByteArray();
            }
        }
    }

    /**
     * A client that pipelines small requests and never reads: the selector thread answers
     * them (what the socket does not take waits in memory) and goes on serving others; the
     * connection is closed when the client has stalled past the timeouts.
     */
    @Test
    void aClientThatNeverReadsSmallResponsesIsDroppedAndOthersAreServed() throws Exception {
        try (Gateway g = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 2, log::add, 2_000, 2_000, 1_000)) {
            g.start();
            int p = g.address().getPort();
            Socket greedy = new Socket();
            sockets.add(greedy);
            greedy.setReceiveBufferSize(4096);
            greedy.connect(new InetSocketAddress("127.0.0.1", p));
            byte[] one = ("GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        greedy.getOutputStream().write(one);
                    }
                } catch (IOException e) {
                    // closed by the server
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(500);
            try (Socket other = new Socket("127.0.0.1", p)) {
                other.setSoTimeout(5_000);
                long t0 = System.nanoTime();
                other.getOutputStream().write(one);
                assertTrue(response(other.getInputStream()).startsWith("HTTP/1.1 200 OK"));
                assertTrue(System.nanoTime() - t0 < 900_000_000L, "served while the greedy client stalls");
            }
            Thread.sleep(5_000);
            // Closed by now: what was sent before is read, then the end (or a reset), not a wait.
            greedy.setSoTimeout(5_000);
            boolean ended = false;
            try {
                ended = greedy.getInputStream().readAllBytes() != null;
            } catch (java.net.SocketTimeoutException e) {
                ended = false;
            } catch (IOException reset) {
                ended = true;
            }
            assertTrue(ended, "the stalled connection was closed");
        }
    }

    /**
     * Responses answered in memory share one buffer while each goes out whole; one the socket has
     * not all taken keeps its bytes while other connections are answered. A client pipelines 4,000
     * requests for one small file and reads nothing until another client has had 30 of another:
     * every response of both is its file's bytes.
     */
    @Test
    void aResponseLeftWaitingOnItsSocketKeepsItsBytesWhileOthersAreAnswered() throws Exception {
        String mine = "/ipfs/" + tree + "/tree/a/run.sh";
        String theirs = "/ipfs/" + tree + "/tree/a/b/c.txt";
        byte[] want = body(mine);
        byte[] wantTheirs = body(theirs);
        assertFalse(Arrays.equals(want, wantTheirs));
        Socket slow = new Socket();
        sockets.add(slow);
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", port));
        slow.setSoTimeout(10_000);
        byte[] one = ("GET " + mine + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int n = 4000;
        Thread writer = new Thread(() -> {
            try {
                OutputStream o = new java.io.BufferedOutputStream(slow.getOutputStream(), 1 << 16);
                for (int i = 0; i < n; i++) {
                    o.write(one);
                }
                o.flush();
            } catch (IOException e) {
                // the test fails on what it reads
            }
        });
        writer.setDaemon(true);
        writer.start();
        Thread.sleep(500);
        try (Socket other = connect()) {
            InputStream in = new java.io.BufferedInputStream(other.getInputStream());
            byte[] two = ("GET " + theirs + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 30; i++) {
                other.getOutputStream().write(two);
                String h = head(in);
                assertTrue(h.startsWith("HTTP/1.1 200"), h);
                assertArrayEquals(wantTheirs, in.readNBytes(contentLength(h)), "other, response " + i);
            }
        }
        InputStream in = new java.io.BufferedInputStream(slow.getInputStream());
        for (int i = 0; i < n; i++) {
            String h = head(in);
            assertTrue(h.startsWith("HTTP/1.1 200"), "response " + i + ": " + h);
            assertArrayEquals(want, in.readNBytes(contentLength(h)), "slow, response " + i);
        }
    }

    private byte[] body(String target) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return in.readNBytes(contentLength(head(in)));
        }
    }

    /** Reads one response of a kept-alive connection: its head and Content-Length bytes of body. */
    private static String response(InputStream in) throws IOException {
        String head = head(in);
        in.readNBytes(contentLength(head));
        return head;
    }

    /** Reads a response head, through its blank line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("closed after " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static int contentLength(String head) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(m.find(), head);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void moreKeptAliveClientsThanWorkersAreAllServedWhetherQuickOrSlow() throws Exception {
        // Two workers, one of which may wait on its connection for the next request; twelve
        // clients, some sending their next request at once, some after the worker stops waiting.
        try (Gateway small = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 2, log::add, 30_000, 30_000, 30_000)) {
            small.start();
            int p = small.address().getPort();
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(12);
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                int pause = k % 3 == 0 ? 60 : 0;
                done.add(clients.submit(() -> {
                    int ok = 0;
                    try (Socket s = new Socket("127.0.0.1", p)) {
                        s.setSoTimeout(10_000);
                        for (int i = 0; i < 5; i++) {
                            s.getOutputStream().write(("GET /ipfs/" + tree + "/tree/a/run.sh HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                            if (response(s.getInputStream()).startsWith("HTTP/1.1 200 OK")) {
                                ok++;
                            }
                            Thread.sleep(pause);
                        }
                    }
                    return ok;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(5, f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            clients.shutdown();
        }
    }
}
