package dev.cartool.gateway;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.car.CarWriter;
import dev.cartool.car.DagExporter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.PathNotFoundException;
import dev.cartool.unixfs.Scopes;
import dev.cartool.unixfs.UnixFsFile;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;

/**
 * A read-only, verifying IPFS HTTP gateway over a {@link BlockSource}: the path gateway
 * ({@code GET/HEAD /ipfs/CID[/path]}, what Apptainer's {@code ipfs://} source requests) and the
 * trustless gateway ({@code ?format=raw}, {@code ?format=car}). Every block is hash-checked as it
 * is read: a block that fails is never sent (before the headers: 502; during a body: the
 * connection is cut, so the client sees a short body against its Content-Length).
 */
public final class Gateway implements Closeable {
    static final String RAW = "application/vnd.ipld.raw";
    static final String CAR = "application/vnd.ipld.car";
    private static final String IMMUTABLE = "public, max-age=29030400, immutable";
    /**
     * Read-ahead of one response: a socket drains slower than leaves are hashed, and 64
     * concurrent downloads at the extract window (16 MiB) would hold 1 GiB.
     */
    static final long WINDOW_BYTES = 2L << 20;

    private final BlockSource source;
    private final HttpServer server;
    private final Consumer<String> log;

    /** Time a client has to send a request head once begun, and silence allowed between requests. */
    static final long HEAD_TIMEOUT_MILLIS = 10_000;
    static final long IDLE_TIMEOUT_MILLIS = 60_000;
    /** A response whose client reads nothing for this long is cut. */
    static final long STALL_TIMEOUT_MILLIS = 60_000;

    /**
     * @param threads requests served at once (connections waiting for their request cost none)
     * @param log receives one line per request, and the reason of every 5xx
     */
    public Gateway(BlockSource source, InetSocketAddress listen, int threads, Consumer<String> log) throws IOException {
        this(source, listen, threads, log, HEAD_TIMEOUT_MILLIS, IDLE_TIMEOUT_MILLIS, STALL_TIMEOUT_MILLIS);
    }

    Gateway(BlockSource source, InetSocketAddress listen, int threads, Consumer<String> log, long headMillis,
            long idleMillis, long stallMillis) throws IOException {
        this.source = source;
        this.log = log;
        this.server = new HttpServer(listen, threads, this::handle, headMillis, idleMillis, stallMillis);
    }

    public void start() {
        server.start();
    }

    /** The address actually bound (port 0 picks a free one). */
    public InetSocketAddress address() {
        try {
            return server.address();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** An error that maps to a status code. */
    static final class Status extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Status(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private void handle(Exchange ex) throws IOException {
        long start = System.nanoTime();
        int[] status = {0};
        long[] sent = {0};
        try {
            serve(ex, status, sent);
        } catch (Status s) {
            if (ex.headersSent()) {
                ex.abort();
                log.accept("error: " + printable(ex.target()) + ": " + printable(s.getMessage()) + " (connection closed)");
            } else {
                status[0] = s.code;
                if (s.code >= 500) {
                    log.accept("error: " + printable(ex.target()) + ": " + printable(s.getMessage()));
                }
                sendError(ex, s);
            }
        } catch (IOException | RuntimeException e) {
            // Mid-body failure (a bad block, or the client went away), or a bug: cut the connection,
            // so the client sees a short body, never a complete-looking wrong one.
            boolean bug = e instanceof RuntimeException;
            log.accept("error: " + printable(ex.target()) + ": " + printable(bug ? e.toString() : e.getMessage())
                    + (ex.headersSent() ? " (connection closed)" : ""));
            if (ex.headersSent()) {
                ex.abort();
                status[0] = status[0] == 0 ? 502 : status[0];
            } else {
                status[0] = bug ? 500 : 502;
                sendError(ex, new Status(status[0], bug ? "internal error" : printable(e.getMessage())));
            }
        } finally {
            log.accept(String.format(Locale.ROOT, "%s %s %s %d %d %.1fms", ex.remote(), printable(ex.method()),
                    printable(ex.target()), status[0], sent[0], (System.nanoTime() - start) / 1e6));
        }
    }

    private static void sendError(Exchange ex, Status s) throws IOException {
        byte[] body = (s.code + " " + s.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        ex.setHeader("Content-Type", "text/plain; charset=utf-8");
        if (s.code == 405) {
            ex.setHeader("Allow", "GET, HEAD");
        }
        boolean head = "HEAD".equals(ex.method());
        send(ex, s.code, head, body.length);
        if (!head) {
            ex.body().write(body);
        }
    }

    /** A value for the log: control characters escaped, so a request cannot forge a log line. */
    static String printable(String s) {
        return s == null ? "-" : dev.cartool.io.Text.escapeControls(s);
    }

    private void serve(Exchange ex, int[] status, long[] sent) throws Status, IOException {
        String method = ex.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new Status(405, "method " + method + " not allowed");
        }
        boolean head = method.equals("HEAD");
        String full = ex.target();
        int q = full.indexOf('?');
        String rawPath = q < 0 ? full : full.substring(0, q);
        String rawQuery = q < 0 ? null : full.substring(q + 1);
        while (rawPath.startsWith("//")) {
            rawPath = rawPath.substring(1); // a gateway URL configured with a trailing slash
        }
        if (!rawPath.startsWith("/ipfs/")) {
            throw new Status(404, "only /ipfs/ paths are served");
        }
        String decoded;
        Map<String, String> query;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
            query = query(rawQuery);
        } catch (IllegalArgumentException e) {
            throw new Status(400, "malformed percent-encoding in the request target");
        }
        IpfsPath path;
        try {
            path = IpfsPath.parse(decoded);
        } catch (CidFormatException e) {
            throw new Status(status(e.kind()), e.getMessage());
        }
        String accept = ex.requestHeader("Accept");
        String format = query.getOrDefault("format", "");
        if (format.isEmpty() && accept != null) {
            if (accept.contains(RAW)) {
                format = "raw";
            } else if (accept.contains(CAR)) {
                format = "car";
            }
        }
        // One view of the source for the whole response: a root removed meanwhile still finishes.
        UnixFsReader reader = new UnixFsReader(source.snapshot(), WINDOW_BYTES);
        try {
            switch (format) {
                case "raw":
                    serveRaw(ex, reader.source(), path, head, status, sent);
                    return;
                case "car":
                    serveCar(ex, reader, path, query, head, status, sent);
                    return;
                case "":
                    servePath(ex, reader, path, head, status, sent);
                    return;
                default:
                    throw new Status(400, "unsupported format '" + format + "' (raw or car)");
            }
        } catch (CarException e) {
            if (status[0] != 0) {
                throw e; // mid-body: the connection is cut
            }
            throw new Status(status(e.kind()), e.getMessage());
        }
    }

    /** The one mapping from what went wrong to an HTTP status (boxo's webError does the same). */
    static int status(Kind kind) {
        switch (kind) {
            case MISSING_BLOCK:
            case MISSING_ROOT:
            case NOT_FOUND:
                return 404;
            case SYNTAX:
                return 400;
            case LIMIT:
                return 413;
            case IO:
                return 500;
            default:
                return 502; // the data failed a check: never sent
        }
    }

    private void serveRaw(Exchange ex, BlockSource source, IpfsPath path, boolean head, int[] status, long[] sent)
            throws Status, IOException {
        if (!path.segments().isEmpty()) {
            throw new Status(400, "format=raw takes a bare CID, not a path");
        }
        Block b = source.get(path.cid());
        if (b == null) {
            throw new Status(404, "block " + path.cid() + " is not held here");
        }
        ex.setHeader("Content-Type", RAW);
        ex.setHeader("Cache-Control", IMMUTABLE);
        ex.setHeader("ETag", "\"" + path.cid().toV1() + ".raw\"");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        status[0] = 200;
        send(ex, 200, head, b.length());
        if (!head) {
            b.writeTo(ex.body());
            sent[0] = b.length();
        }
    }

    private void servePath(Exchange ex, UnixFsReader reader, IpfsPath path, boolean head, int[] status, long[] sent)
            throws Status, IOException {
        UnixFsNode node = reader.resolve(path.cid(), path.segments());
        String etag = "\"" + node.cid().toV1() + "\"";
        ex.setHeader("ETag", etag);
        ex.setHeader("Cache-Control", IMMUTABLE);
        ex.setHeader("X-Ipfs-Path", "/ipfs/" + path.cid() + path.pathString());
        String inm = ex.requestHeader("If-None-Match");
        if (inm != null && (inm.trim().equals(etag) || inm.trim().equals("*"))) {
            status[0] = 304;
            ex.sendHeaders(304, -1);
            return;
        }
        if (node.kind() == UnixFsNode.Kind.DIRECTORY) {
            serveListing(ex, reader, node, path, head, status, sent);
            return;
        }
        if (node.kind() == UnixFsNode.Kind.SYMLINK) {
            byte[] target = node.data().data();
            ex.setHeader("Content-Type", "text/plain; charset=utf-8");
            status[0] = 200;
            send(ex, 200, head, target.length);
            if (!head) {
                ex.body().write(target);
                sent[0] = target.length;
            }
            return;
        }
        long size = node.fileSize();
        ex.setHeader("Content-Type", "application/octet-stream");
        ex.setHeader("Accept-Ranges", "bytes");
        long[] range = range(ex.requestHeader("Range"), size);
        OutputStream body = ex.body();
        if (range != null) {
            long len = range[1] - range[0] + 1;
            ex.setHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
            status[0] = 206;
            send(ex, 206, head, len);
            if (!head) {
                try (UnixFsFile file = reader.open(node)) {
                    file.limit(range[1] + 1).position(range[0]).transferTo(ex.bodyChannel(), n -> sent[0] += n);
                }
            }
            return;
        }
        status[0] = 200;
        send(ex, 200, head, size);
        if (!head) {
            // Leaves go to the socket from the reader's (direct) buffers; small ones are gathered
            // in the exchange's buffer, so a file of one-byte leaves is not a write per leaf.
            try (UnixFsFile file = reader.open(node)) {
                file.transferTo(ex.bodyChannel(), n -> sent[0] += n);
            }
        }
    }

    /**
     * Sends the status line and headers. A HEAD response carries the Content-Length a GET would
     * have; a GET of zero bytes says so.
     */
    private static void send(Exchange ex, int code, boolean head, long length) throws IOException {
        if (head) {
            if (length >= 0) {
                ex.setHeader("Content-Length", Long.toString(length));
            }
            ex.sendHeaders(code, -1);
        } else {
            ex.sendHeaders(code, length == 0 ? -1 : length);
        }
    }

    /** A single {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}; null for none or several. */
    static long[] range(String header, long size) throws Status {
        if (header == null || !header.startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null; // not a byte range ("bytes=5", "bytes="): ignored, as RFC 9110 says, and the whole file sent
        }
        try {
            long from;
            long to;
            if (dash == 0) {
                long n = Long.parseLong(spec.substring(1));
                from = Math.max(0, size - n);
                to = size - 1;
            } else {
                from = Long.parseLong(spec.substring(0, dash));
                to = dash == spec.length() - 1 ? size - 1 : Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
            }
            if (from > to || from >= size) {
                throw new Status(416, "range " + spec + " outside " + size + " bytes");
            }
            return new long[] {from, to};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void serveListing(Exchange ex, UnixFsReader reader, UnixFsNode dir, IpfsPath path, boolean head,
            int[] status, long[] sent) throws IOException {
        List<DirEntry> entries = reader.entries(dir);
        String accept = ex.requestHeader("Accept");
        byte[] body;
        if (accept != null && accept.contains("application/json")) {
            StringBuilder sb = new StringBuilder("{\"cid\":\"").append(dir.cid().toV1()).append("\",\"entries\":[");
            for (int i = 0; i < entries.size(); i++) {
                DirEntry e = entries.get(i);
                sb.append(i == 0 ? "" : ",").append("{\"name\":").append(jsonString(e.name()))
                        .append(",\"cid\":\"").append(e.cid().toV1()).append("\",\"size\":").append(e.tsize()).append('}');
            }
            body = sb.append("]}\n").toString().getBytes(StandardCharsets.UTF_8);
            ex.setHeader("Content-Type", "application/json");
        } else {
            String base = "/ipfs/" + path.cidText() + path.pathString();
            StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                    .append(html(base)).append("</title></head><body>\n<h1>").append(html(base)).append("</h1>\n<ul>\n");
            for (DirEntry e : entries) {
                String href = base + "/" + pathSegment(e.name());
                sb.append("<li><a href=\"").append(html(href)).append("\">").append(html(e.name())).append("</a> ")
                        .append(e.tsize() >= 0 ? e.tsize() : "").append("</li>\n");
            }
            body = sb.append("</ul>\n</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
            ex.setHeader("Content-Type", "text/html; charset=utf-8");
        }
        status[0] = 200;
        send(ex, 200, head, body.length);
        if (!head) {
            ex.body().write(body);
            sent[0] = body.length;
        }
    }

    /**
     * A CARv1 of the DAG at the path, DFS order, the path's own blocks first. {@code dag-scope}:
     * {@code block} (the target's block), {@code entity} (a file whole; a directory's own
     * node(s), HAMT shards included, not its entries), {@code all} (default: everything below).
     */
    private void serveCar(Exchange ex, UnixFsReader reader, IpfsPath path, Map<String, String> query, boolean head,
            int[] status, long[] sent) throws Status, IOException {
        String scope = query.getOrDefault("dag-scope", "all");
        if (!scope.equals("all") && !scope.equals("entity") && !scope.equals("block")) {
            throw new Status(400, "dag-scope must be block, entity or all");
        }
        String entityBytes = query.get("entity-bytes");
        // Resolve first, so that a missing root or path is a 404 before any byte is sent. The
        // blocks passed on the way (directories, HAMT shards) go first in the response.
        List<Cid> pathBlocks = new ArrayList<>();
        UnixFsNode node;
        try {
            node = reader.resolve(path.cid(), path.segments(), pathBlocks::add);
        } catch (PathNotFoundException e) {
            throw new Status(404, e.getMessage());
        }
        DagExporter.Selector selector = scope.equals("block") ? DagExporter.BLOCK
                : scope.equals("entity") ? Scopes.entity() : DagExporter.ALL;
        if (entityBytes != null && node.kind() == UnixFsNode.Kind.FILE) {
            long[] range = entityRange(entityBytes, node.fileSize());
            selector = Scopes.bytes(range[0], range[1]);
        }
        ex.setHeader("Content-Type", CAR + "; version=1; order=dfs; dups=n");
        ex.setHeader("Cache-Control", IMMUTABLE);
        ex.setHeader("X-Content-Type-Options", "nosniff");
        status[0] = 200;
        ex.sendHeaders(200, head ? -1 : 0); // 0: chunked, the length is not known ahead
        if (head) {
            return;
        }
        CountingStream counted = new CountingStream(ex.body());
        CarWriter w = CarWriter.create(new BufferedOutputStream(counted, 1 << 16), List.of(path.cid()));
        new DagExporter(reader.source()).export(pathBlocks, node.cid(), selector, w);
        w.flush();
        sent[0] = counted.count;
    }

    /**
     * {@code entity-bytes=from:to} (inclusive; {@code to} may be {@code *}; negative values count
     * from the end) as a half-open range {@code [from, end)} clamped to the file.
     */
    static long[] entityRange(String spec, long size) throws Status {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new Status(400, "entity-bytes must be from:to");
        }
        try {
            long from = Long.parseLong(spec.substring(0, colon));
            String t = spec.substring(colon + 1);
            long to = t.equals("*") ? size - 1 : Long.parseLong(t);
            if (from < 0) {
                from = Math.max(0, size + from);
            }
            if (to < 0) {
                to = size + to;
            }
            to = Math.min(to, size - 1);
            if (from > to && !(size == 0)) {
                throw new Status(400, "entity-bytes " + spec + " selects nothing of " + size + " bytes");
            }
            return new long[] {from, Math.max(from, to + 1)};
        } catch (NumberFormatException e) {
            throw new Status(400, "entity-bytes must be from:to with integers or *");
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static String pathSegment(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
