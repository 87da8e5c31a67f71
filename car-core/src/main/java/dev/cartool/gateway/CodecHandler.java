package dev.cartool.gateway;

import java.io.IOException;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.ipld.DataModel;

/**
 * Blocks of the IPLD codecs (DAG-CBOR, DAG-JSON, and plain JSON and CBOR) as themselves: a plain
 * GET, or {@code format=} the block's own codec, answers its verified bytes with the codec's
 * media type. Conversions: DAG-CBOR as DAG-JSON, and DAG-PB (its logical form) as DAG-JSON or
 * DAG-CBOR, through {@link DataModel}; others (DAG-JSON to DAG-CBOR) are 406.
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
        long codec = at.cid().codec();
        Served own = SERVED.get(codec);
        String format = r.format();
        Block b = backend.block(at.cid());
        Served s;
        byte[] body;
        if (own != null && (format.isEmpty() || format.equals(own.format()))) {
            s = own;
            body = null; // the block's own bytes
        } else if (format.equals("dag-json") && codec == Multicodec.DAG_CBOR) {
            s = SERVED.get(Multicodec.DAG_JSON);
            body = DataModel.toDagJson(DataModel.fromDagCbor(b.data()));
        } else if ((format.equals("dag-json") || format.equals("dag-cbor")) && codec == Multicodec.DAG_PB) {
            // DAG-PB's logical form (https://ipld.io/specs/codecs/dag-pb/spec/#logical-format).
            Object logical = DataModel.ofDagPb(DagPb.decode(b.data()));
            s = SERVED.get(format.equals("dag-json") ? Multicodec.DAG_JSON : Multicodec.DAG_CBOR);
            body = format.equals("dag-json") ? DataModel.toDagJson(logical) : DataModel.toDagCbor(logical);
        } else {
            throw new Gateway.Status(406, at.cid() + " is " + at.cid().codecName() + "; converting it to "
                    + (format.isEmpty() ? "a web page" : format) + " is not offered here (format=raw, format=car"
                    + (own != null ? " or format=" + own.format() : "") + ")");
        }
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
        long length = body != null ? body.length : b.length();
        out.status = 200;
        Gateway.send(ex, 200, r.head(), length);
        if (!r.head()) {
            if (body != null) {
                ex.body().write(body);
            } else {
                b.writeTo(ex.body());
            }
            out.sent = length;
        }
    }
}
