package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartool.car.CarFileSource;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The selector thread polls for a while after each request ({@link Gateway#busyPoll}), then
 * sleeps; requests answered on it and on the workers both go on being served while it polls.
 */
class BusyPollTest {
    private final JsonNode lolcow = Fixtures.json("fixtures.json").get("files").get("lolcow.car");
    private CarFileSource source;
    private Gateway gateway;
    private Socket socket;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "no per-thread CPU time on this JVM");
        mx.setThreadCpuTimeEnabled(true);
        source = CarFileSource.open(Fixtures.testdata("lolcow.car"));
        gateway = new Gateway(source, new InetSocketAddress("127.0.0.1", 0), 4, line -> { });
        gateway.busyPoll(Duration.ofMillis(300));
        gateway.start();
        socket = new Socket("127.0.0.1", gateway.address().getPort());
        socket.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (source != null) {
            source.close();
        }
    }

    /** CPU time of the selector thread so far, in milliseconds. */
    private long selectorCpuMillis() {
        return mx.getThreadCpuTime(gateway.selectorThread().getId()) / 1_000_000;
    }

    /** CPU the selector thread spends in the next {@code millis} of wall time. */
    private long cpuOver(long millis) throws InterruptedException {
        long before = selectorCpuMillis();
        Thread.sleep(millis);
        return selectorCpuMillis() - before;
    }

    /** Sends a GET on the kept-alive connection; returns the status and body. */
    private Object[] get(String target) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "connection closed in a response head: " + head);
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(h.substring(9, 12));
        int length = -1;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertTrue(length >= 0, "no Content-Length: " + h);
        return new Object[] {status, in.readNBytes(length)};
    }

    @Test
    void pollsAfterARequestThenSleeps() throws Exception {
        // Connected (an event: it polls 300 ms after it), then nothing asked: asleep.
        Thread.sleep(400);
        long idle = cpuOver(400);
        assertTrue(idle < 100, "selector used " + idle + " ms of CPU in 400 ms with no request");
        assertEquals(400, (int) get("/ipfs/not-a-cid")[0]);
        long polling = cpuOver(200);
        assertTrue(polling > 20, "selector used " + polling + " ms of CPU in the 200 ms after a request (polling)");
        Thread.sleep(300);
        long after = cpuOver(400);
        assertTrue(after < 100, "selector used " + after + " ms of CPU in 400 ms once the poll ended");
    }

    @Test
    void answersOnItsOwnThreadAndFromTheWorkersWhilePolling() throws Exception {
        String sha = lolcow.get("content").get("sha256").asText();
        long t = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            // A whole image (a worker writes it, then gives the connection back), then an error
            // the selector thread answers itself: both while it polls.
            Object[] file = get("/ipfs/" + lolcow.get("root").asText());
            assertEquals(200, (int) file[0]);
            assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest((byte[]) file[1])));
            Thread.sleep(60); // past the worker's linger: it gives the connection back to the polling selector
            Object[] bad = get("/ipfs/not-a-cid");
            assertEquals(400, (int) bad[0]);
        }
        // Not a speed bound: a poll that missed a connection given back (the wake-up it sends
        // taken by the poll) leaves it unwatched until the selector's 500 ms sleep ends, 0.8 s a
        // round here; these take 60 ms and a few.
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertTrue(ms < 5000, "10 rounds took " + ms + " ms");
    }
}
