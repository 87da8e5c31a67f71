package dev.cartool.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.ipld.DagCbor;
import dev.cartool.ipld.DataModel;

/**
 * IPLD data as the codecs say: a block of DAG-CBOR, DAG-JSON, JSON or CBOR answers a plain GET
 * with its verified bytes and its codec's media type; {@code format=dag-json|json} or
 * {@code dag-cbor|cbor} (or the matching {@code Accept}) asks for the data in that codec, which
 * converts between the JSON and CBOR families and reads DAG-PB as its logical form, through
 * {@link DataModel}. A browser ({@code Accept: text/html}) gets a page showing the data as
 * DAG-JSON. Single ranges apply to the bytes of the response.
 */
final class CodecHandler {
    private CodecHandler() {
    }

    /** What a response is sent as: media type, file extension, disposition, ETag suffix. */
    private record Served(String format, String type, String extension, String disposition) {
        boolean json() {
            return extension.equals("json");
        }
    }

    private static final Map<String, Served> FORMATS = Map.of(
            "dag-cbor", new Served("dag-cbor", "application/vnd.ipld.dag-cbor", "cbor", "attachment"),
            "dag-json", new Served("dag-json", "application/vnd.ipld.dag-json", "json", "inline"),
            "json", new Served("json", "application/json", "json", "inline"),
            "cbor", new Served("cbor", "application/cbor", "cbor", "attachment"));

    private static final Map<Long, String> OWN = Map.of(Multicodec.DAG_CBOR, "dag-cbor", Multicodec.DAG_JSON, "dag-json",
            Multicodec.JSON, "json", Multicodec.CBOR, "cbor");

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        long codec = at.cid().codec();
        String format = r.format();
        if (format.isEmpty()) {
            String accept = r.header("Accept");
            if (accept != null && accept.contains("text/html") && OWN.containsKey(codec)) {
                page(r, backend, at, out);
                return;
            }
            format = accept != null && accept.contains("application/json") ? "json"
                    : accept != null && accept.contains("application/cbor") ? "cbor" : OWN.getOrDefault(codec, "");
        }
        Served s = FORMATS.get(format);
        if (s == null) {
            throw notOffered(at, format);
        }
        Block b = backend.block(at.cid());
        byte[] body = encode(at, b, s, codec);
        Exchange ex = r.ex();
        String etag = "\"" + at.cid().toV1() + "." + s.format() + "\"";
        if (Gateway.cached(r, etag, out)) {
            return;
        }
        String name = r.param("filename") != null ? r.param("filename") : at.cid() + "." + s.extension();
        String disposition = "true".equals(r.param("download")) ? "attachment" : s.disposition();
        ex.setHeader("Content-Type", s.type());
        ex.setHeader("Content-Disposition", disposition + "; filename=\"" + Gateway.quoted(name) + "\"");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        send(r, body, out);
    }

    /** The block's data in {@code s}'s codec family: its own bytes when it is already in it. */
    private static byte[] encode(Backend.Resolved at, Block b, Served s, long codec) throws Gateway.Status {
        boolean ownJson = codec == Multicodec.DAG_JSON || codec == Multicodec.JSON;
        boolean ownCbor = codec == Multicodec.DAG_CBOR || codec == Multicodec.CBOR;
        if (s.json() ? ownJson : ownCbor) {
            return b.data();
        }
        Object value;
        try {
            if (ownJson) {
                value = DataModel.fromDagJson(b.data());
            } else if (ownCbor) {
                value = DataModel.fromDagCbor(b.data());
            } else if (codec == Multicodec.DAG_PB) {
                value = DataModel.ofDagPb(DagPb.decode(b.data()));
            } else {
                throw notOffered(at, s.format());
            }
        } catch (DagCbor.DagCborException | dev.cartool.dagpb.DagPbException e) {
            throw new Gateway.Status(406, at.cid() + " cannot be read as IPLD data for " + s.format() + ": "
                    + e.getMessage());
        }
        return s.json() ? DataModel.toDagJson(value) : DataModel.toDagCbor(value);
    }

    private static Gateway.Status notOffered(Backend.Resolved at, String format) {
        return new Gateway.Status(406, at.cid() + " is " + at.cid().codecName() + "; converting it to "
                + (format.isEmpty() ? "a web page" : format) + " is not offered here (format=raw, format=car, "
                + "dag-json, dag-cbor, json or cbor)");
    }

    /** A page for a browser: the CID, its codec, and the data as DAG-JSON. */
    private static void page(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        Block b = backend.block(at.cid());
        String json = new String(encode(at, b, FORMATS.get("dag-json"), at.cid().codec()), StandardCharsets.UTF_8);
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + at.cid() + "</title></head><body>\n"
                + "<h1>" + at.cid() + "</h1>\n<p>" + at.cid().codecName() + ", " + b.length() + " bytes"
                + " (<a href=\"?format=raw\">raw</a>, <a href=\"?format=dag-json\">dag-json</a>, "
                + "<a href=\"?format=dag-cbor\">dag-cbor</a>, <a href=\"?format=car\">car</a>)</p>\n<pre>"
                + Gateway.html(json) + "</pre>\n</body></html>\n";
        Exchange ex = r.ex();
        String etag = "\"DagIndex-" + at.cid().toV1() + "\"";
        ex.setHeader("ETag", etag);
        if (Gateway.notModified(r, etag, out)) {
            return;
        }
        ex.setHeader("Content-Type", "text/html; charset=utf-8");
        send(r, html.getBytes(StandardCharsets.UTF_8), out);
    }

    /** The body whole, or the one range asked (206); several ranges get the whole body. */
    private static void send(Request r, byte[] body, Outcome out) throws Gateway.Status, IOException {
        Exchange ex = r.ex();
        List<long[]> ranges = Gateway.ranges(r.header("Range"), body.length);
        int from = 0;
        int to = body.length - 1;
        int code = 200;
        ex.setHeader("Accept-Ranges", "bytes");
        if (ranges != null && ranges.size() == 1) {
            from = (int) ranges.get(0)[0];
            to = (int) ranges.get(0)[1];
            code = 206;
            ex.setHeader("Content-Range", "bytes " + from + "-" + to + "/" + body.length);
        }
        int length = Math.max(0, to - from + 1);
        out.status = code;
        Gateway.send(ex, code, r.head(), length);
        if (!r.head()) {
            ex.body().write(body, from, length);
            out.sent = length;
        }
    }
}
