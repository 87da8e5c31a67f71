package dev.cartool.gateway;

import java.io.IOException;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;

/**
 * Blocks of the IPLD codecs (DAG-CBOR, DAG-JSON, and plain JSON and CBOR) as themselves: a plain
 * GET, or {@code format=} the block's own codec, answers its verified bytes with the codec's
 * media type. Converting between codecs (DAG-CBOR to DAG-JSON, DAG-PB to either) is not offered:
 * 406.
 */
final class CodecHandler {
    private CodecHandler() {
    }

    /** What each codec is answered as: media type, file extension, disposition. */
    private record Served(String format, String type, String extension, String disposition) {
    }

    private static final Map<Long, Served> SERVED = Map.of(
            Multicodec.DAG_CBOR, new Served("dag-cbor", "application/vnd.ipld.dag-cbor", "cbor", "attachment"),
            Multicodec.DAG_JSON, new Served("dag-json", "application/vnd.ipld.dag-json", "json", "inline"),
            Multicodec.JSON, new Served("json", "application/json", "json", "inline"),
            Multicodec.CBOR, new Served("cbor", "application/cbor", "cbor", "attachment"));

    /** Whether a plain GET of this block is answered here (it is an IPLD codec, not UnixFS). */
    static boolean serves(Cid cid) {
        return SERVED.containsKey(cid.codec());
    }

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        Served s = SERVED.get(at.cid().codec());
        if (s == null || !(r.format().isEmpty() || r.format().equals(s.format()))) {
            throw new Gateway.Status(406, at.cid() + " is " + at.cid().codecName() + "; converting it to "
                    + (r.format().isEmpty() ? "a web page" : r.format()) + " is not offered here (format=raw, format=car"
                    + (s != null ? " or format=" + s.format() : "") + ")");
        }
        Block b = backend.block(at.cid());
        Exchange ex = r.ex();
        String etag = "\"" + at.cid().toV1() + "." + s.format() + "\"";
        ex.setHeader("ETag", etag);
        ex.setHeader("Cache-Control", Gateway.IMMUTABLE);
        if (Gateway.notModified(r, etag, out)) {
            return;
        }
        String name = r.param("filename") != null ? r.param("filename") : at.cid() + "." + s.extension();
        ex.setHeader("Content-Type", s.type());
        ex.setHeader("Content-Disposition", s.disposition() + "; filename=\"" + Gateway.quoted(name) + "\"");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        out.status = 200;
        Gateway.send(ex, 200, r.head(), b.length());
        if (!r.head()) {
            b.writeTo(ex.body());
            out.sent = b.length();
        }
    }
}
