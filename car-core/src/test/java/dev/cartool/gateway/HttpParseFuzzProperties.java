package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import dev.cartool.testing.Fuzz;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Issue 9's campaign: request heads, random and mutated: parsed, or an error status; nothing else. */
class HttpParseFuzzProperties {
    private static final byte[] GOOD = ("GET /ipfs/bafybeifw7qvanfmqmnrsfhxdvtyj2q7756wbgi5bgrl7zxtwjb6ixlpxda/a%20b?format=car&dag-scope=entity HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8080\r\nAccept: application/vnd.ipld.car\r\nRange: bytes=0-99\r\nConnection: keep-alive\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private static void parse(byte[] b) throws Gateway.Status {
        int end = HttpServer.headEnd(b, b.length);
        Exchange ex = Exchange.parse(null, b, end < 0 ? b.length : end);
        if (ex.error() != null) {
            int code = Integer.parseInt(ex.error().substring(0, 3));
            assertTrue(code == 400 || code == 431 || code == 505, ex.error());
        } else {
            Gateway.range(ex.requestHeader("Range") == null ? "bytes=" + ex.target() : ex.requestHeader("Range"), 1000);
        }
    }

    @Property(tries = 3000)
    void mutatedRequests(@ForAll int kind, @ForAll int where, @ForAll int value) {
        byte[] d = Fuzz.mutate(GOOD, kind, where, value);
        Fuzz.cleanly("http-head", d, () -> parse(d), Gateway.Status.class);
    }

    @Property(tries = 2000)
    void anyBytes(@ForAll @Size(max = 400) byte[] b) {
        Fuzz.cleanly("http-head", b, () -> parse(b), Gateway.Status.class);
    }

    /** The head's lines, split by hand, are what the regex split gave: CR LF or bare LF, CRs kept elsewhere. */
    @Property(tries = 2000)
    void headLinesSplitAsTheRegexDid(@ForAll("heads") String head) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(head.split("\r?\n", -1), Exchange.lines(head));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> heads() {
        return net.jqwik.api.Arbitraries.strings().withChars('a', ' ', ':', '\r', '\n').ofMaxLength(40);
    }
}
