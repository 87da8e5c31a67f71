package dev.cartool.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.cartool.ipld.DataModel;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsFile;
import dev.cartool.unixfs.UnixFsNode;

/**
 * A deserialized response (no {@code format}): a UnixFS file's bytes (with single ranges), a
 * directory's listing (HTML, or JSON when asked), a symlink's target.
 */
final class UnixFsHandler {
    private UnixFsHandler() {
    }

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        UnixFsNode node = at.target();
        Exchange ex = r.ex();
        String etag = "\"" + node.cid().toV1() + "\"";
        boolean json = accepts(r, "application/json");
        if (node.kind() == UnixFsNode.Kind.DIRECTORY && !json && !r.rawPath().endsWith("/")) {
            // The listing's links are relative to the directory: its URL ends with a slash.
            String location = r.rawPath() + "/" + (r.rawQuery() == null ? "" : "?" + r.rawQuery());
            ex.setHeader("Location", location);
            throw new Gateway.Status(301, "moved to " + location);
        }
        if (Gateway.cached(r, etag, out)) {
            return;
        }
        switch (node.kind()) {
            case DIRECTORY:
                listing(r, backend, node, json, out);
                return;
            case SYMLINK:
                byte[] target = node.data().data();
                ex.setHeader("Content-Type", "text/plain; charset=utf-8");
                out.status = 200;
                Gateway.send(ex, 200, r.head(), target.length);
                if (!r.head()) {
                    ex.body().write(target);
                    out.sent = target.length;
                }
                return;
            default:
                file(r, backend, node, out);
        }
    }

    private static boolean accepts(Request r, String type) {
        String accept = r.header("Accept");
        return accept != null && accept.contains(type);
    }

    private static void file(Request r, Backend backend, UnixFsNode node, Outcome out) throws Gateway.Status, IOException {
        Exchange ex = r.ex();
        long size = node.fileSize();
        ex.setHeader("Content-Type", "application/octet-stream");
        ex.setHeader("Accept-Ranges", "bytes");
        if (r.param("filename") != null) {
            ex.setHeader("Content-Disposition", (r.param("download") != null && r.param("download").equals("true")
                    ? "attachment" : "inline") + "; filename=\"" + Gateway.quoted(r.param("filename")) + "\"");
        }
        List<long[]> ranges = Gateway.ranges(r.header("Range"), size);
        long[] range = ranges != null && ranges.size() == 1 ? ranges.get(0) : null;
        try (UnixFsFile content = backend.reader().open(node)) {
            if (ranges != null && ranges.size() > 1) {
                multipart(r, content, ranges, size, out);
                return;
            }
            if (range != null) {
                long len = range[1] - range[0] + 1;
                ex.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
                out.status = 206;
                Gateway.send(ex, 206, r.head(), len);
                if (!r.head()) {
                    content.limit(range[1] + 1).position(range[0]).transferTo(ex.bodyChannel(), n -> out.sent += n);
                }
                return;
            }
            out.status = 200;
            Gateway.send(ex, 200, r.head(), size);
            if (!r.head()) {
                // Leaves go to the socket from the reader's (direct) buffers; small ones are
                // gathered in the exchange's buffer, so one-byte leaves are not a write each.
                content.transferTo(ex.bodyChannel(), n -> out.sent += n);
            }
        }
    }

    /** Several ranges: 206 with a {@code multipart/byteranges} body, each part read from the DAG. */
    private static void multipart(Request r, UnixFsFile content, List<long[]> ranges, long size, Outcome out)
            throws IOException {
        Exchange ex = r.ex();
        String boundary = "car-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        List<byte[]> heads = new java.util.ArrayList<>();
        long length = 0;
        for (long[] range : ranges) {
            byte[] head = ("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                    + range[0] + "-" + range[1] + "/" + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            heads.add(head);
            length += head.length + (range[1] - range[0] + 1) + 2;
        }
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        length += tail.length;
        ex.setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
        out.status = 206;
        Gateway.send(ex, 206, r.head(), length);
        if (r.head()) {
            return;
        }
        java.io.OutputStream body = ex.body();
        for (int i = 0; i < ranges.size(); i++) {
            long[] range = ranges.get(i);
            body.write(heads.get(i));
            content.limit(range[1] + 1).position(range[0]).transferTo(ex.bodyChannel(), n -> { });
            body.write(new byte[] {'\r', '\n'});
        }
        body.write(tail);
        out.sent = length;
    }

    private static void listing(Request r, Backend backend, UnixFsNode dir, boolean json, Outcome out)
            throws IOException {
        Exchange ex = r.ex();
        if (dir.isHamt() || dir.links().size() > 64) {
            ex.onWorker(); // a listing that may be large is not built on the selector thread
        }
        List<DirEntry> entries = backend.reader().entries(dir);
        byte[] body;
        if (json) {
            List<Object> list = new java.util.ArrayList<>(entries.size());
            for (DirEntry e : entries) {
                list.add(Map.of("name", e.name(), "cid", e.cid().toV1().toString(), "size", e.tsize()));
            }
            byte[] doc = DataModel.toDagJson(Map.of("cid", dir.cid().toV1().toString(), "entries", list));
            body = java.util.Arrays.copyOf(doc, doc.length + 1);
            body[doc.length] = (byte) 0x0a;
            ex.setHeader("Content-Type", "application/json");
        } else {
            String base = r.contentPath();
            StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                    .append(Gateway.html(base)).append("</title></head><body>\n<h1>").append(Gateway.html(base)).append("</h1>\n<ul>\n");
            for (DirEntry e : entries) {
                String href = base + "/" + pathSegment(e.name());
                sb.append("<li><a href=\"").append(Gateway.html(href)).append("\">").append(Gateway.html(e.name())).append("</a> ")
                        .append(e.tsize() >= 0 ? e.tsize() : "").append("</li>\n");
            }
            body = sb.append("</ul>\n</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
            ex.setHeader("Content-Type", "text/html; charset=utf-8");
        }
        out.status = 200;
        Gateway.send(ex, 200, r.head(), body.length);
        if (!r.head()) {
            ex.body().write(body);
            out.sent = body.length;
        }
    }

    private static String pathSegment(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
