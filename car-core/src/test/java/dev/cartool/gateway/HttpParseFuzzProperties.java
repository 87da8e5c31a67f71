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

    /** A response head is encoded as String.getBytes(ISO_8859_1) encodes it, surrogates and all. */
    @Property(tries = 2000)
    void headsAreLatin1AsTheJdkEncodesThem(@ForAll @Size(max = 60) String generated, @ForAll int pick) {
        String[] named = {"caf\u00e9 \u00ff", "\u0109\u4e2d", "a\ud83d\ude00b", "\ud83d", "\ude00\ud83d", "x\ud83d\ud83d\ude00"};
        String text = pick % 2 == 0 ? generated : named[Math.floorMod(pick, named.length)] + generated;
        byte[] want = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] got = new byte[text.length()];
        int n = Exchange.latin1(new StringBuilder(text), got);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, java.util.Arrays.copyOf(got, n));
    }
}
