package dev.cartool.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.cartool.block.BlockSource;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;
import dev.cartool.error.CarException;
import dev.cartool.error.Kind;

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
    static final String IMMUTABLE = "public, max-age=29030400, immutable";
    /**
     * Read-ahead of one response: a socket drains slower than leaves are hashed, and 64
     * concurrent downloads at the extract window (16 MiB) would hold 1 GiB.
     */
    static final long WINDOW_BYTES = 2L << 20;
    /** Decoded directories and file nodes kept between requests (their reckoned heap cost). */
    static final long NODE_CACHE_BYTES = 32L << 20;
    private final dev.cartool.unixfs.NodeCache nodes = new dev.cartool.unixfs.NodeCache(NODE_CACHE_BYTES);

    private final BlockSource source;
    private final HttpServer server;
    private final Consumer<String> log;
    /** Whether {@link #log} gets a line per request (not only errors). */
    private volatile boolean requestLines = true;

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

    /**
     * Whether a line per request goes to the log (default yes); errors always do. Off, the line
     * is not even formatted: at tens of thousands of requests a second that was 2-3% of the CPU.
     */
    public void logRequests(boolean on) {
        requestLines = on;
    }

    /**
     * How long after anything happens on its connections the server polls them before it
     * sleeps (default 0: never). A client that asks again at once (one connection fetching block
     * after block) is then answered without the wake-up a sleeping thread needs, which can take
     * longer than the answer; the cost is up to that long of one core after each burst.
     */
    public void busyPoll(java.time.Duration d) {
        server.busyPoll(d.toNanos());
    }

    public void start() {
        server.start();
    }

    /** The thread that waits on the connections (for tests). */
    Thread selectorThread() {
        return server.selectorThread();
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
        Outcome out = new Outcome();
        try {
            serve(ex, out);
        } catch (Exchange.HandOff h) {
            throw h; // nothing sent: a worker serves it again
        } catch (Status s) {
            if (ex.headersSent()) {
                ex.abort();
                log.accept("error: " + printable(ex.target()) + ": " + printable(s.getMessage()) + " (connection closed)");
            } else {
                out.status = s.code;
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
                out.status = out.status == 0 ? 502 : out.status;
            } else {
                out.status = bug ? 500 : 502;
                sendError(ex, new Status(out.status, bug ? "internal error" : printable(e.getMessage())));
            }
        } finally {
            if (requestLines && !ex.handedOff()) {
                long tenths = (System.nanoTime() - start + 50_000) / 100_000; // milliseconds, one decimal
                log.accept(ex.remote() + " " + printable(ex.method()) + " " + printable(ex.target()) + " " + out.status
                        + " " + out.sent + " " + tenths / 10 + "." + tenths % 10 + "ms");
            }
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

    private void serve(Exchange ex, Outcome out) throws Status, IOException {
        String method = ex.method();
        cors(ex);
        if (method.equals("OPTIONS")) {
            out.status = 200;
            ex.setHeader("Allow", "GET, HEAD, OPTIONS");
            send(ex, 200, true, 0);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new Status(405, "method " + method + " not allowed");
        }
        Request r = parse(ex, method.equals("HEAD"));
        Backend backend = new Backend(source, WINDOW_BYTES, nodes); // one view for the whole response
        String cacheControl = r.header("Cache-Control");
        if (cacheControl != null && cacheControl.contains("only-if-cached") && !backend.has(r.path().cid())) {
            throw new Status(412, "block " + r.path().cid() + " is not held here (only-if-cached)");
        }
        if (ex.inMemory()) {
            backend.beforeLargeTarget(ex::onWorker); // a worker reads whatever it must
        }
        try {
            Backend.Resolved at = backend.resolve(r.path());
            ex.setHeader("X-Ipfs-Path", r.contentPath());
            StringBuilder roots = new StringBuilder(64 * at.roots().size());
            for (Cid c : at.roots()) {
                roots.append(roots.length() == 0 ? "" : ",").append(c);
            }
            ex.setHeader("X-Ipfs-Roots", roots.toString()); // a loop: a stream's set-up was 2% of a small file's
            if (r.formatFromAccept()) {
                // The same response by URL, so a cache keyed on URLs keeps the formats apart.
                ex.setHeader("Content-Location", r.rawPath() + "?" + (r.rawQuery() == null ? "" : r.rawQuery() + "&")
                        + "format=" + r.format());
            }
            switch (r.format()) {
                case "raw":
                    RawHandler.serve(r, backend, at, out);
                    return;
                case "car":
                    CarHandler.serve(r, backend, at, out);
                    return;
                case "tar":
                    TarHandler.serve(r, backend, at, out);
                    return;
                case "json":
                case "cbor":
                    if (at.target() != null) {
                        UnixFsHandler.serve(r, backend, at, out); // of UnixFS: no conversion, as other gateways
                    } else {
                        CodecHandler.serve(r, backend, at, out);
                    }
                    return;
                case "dag-json":
                case "dag-cbor":
                    CodecHandler.serve(r, backend, at, out);
                    return;
                default:
                    if (at.target() == null) {
                        CodecHandler.serve(r, backend, at, out);
                    } else {
                        UnixFsHandler.serve(r, backend, at, out);
                    }
            }
        } catch (CarException e) {
            if (out.status != 0) {
                throw e; // mid-body: the connection is cut
            }
            throw new Status(status(e.kind()), e.getMessage());
        }
    }

    /** The formats answered: the trustless ones, and the IPLD codecs as themselves. */
    private static final java.util.Set<String> OFFERED = java.util.Set.of("raw", "car", "tar", "dag-json", "dag-cbor",
            "json", "cbor");
    /** The formats this gateway knows of but does not offer: 406, not 400. */
    private static final java.util.Set<String> NOT_OFFERED = java.util.Set.of("ipns-record");

    private static Request parse(Exchange ex, boolean head) throws Status {
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
        boolean fromUrl = !format.isEmpty();
        if (format.isEmpty() && accept != null) {
            if (accept.contains(RAW)) {
                format = "raw";
            } else if (accept.contains(CAR)) {
                format = "car";
            } else if (accept.contains("application/x-tar")) {
                format = "tar";
            } else if (accept.contains("application/vnd.ipld.dag-json")) {
                format = "dag-json";
            } else if (accept.contains("application/vnd.ipld.dag-cbor")) {
                format = "dag-cbor";
            }
        }
        if (!format.isEmpty() && !OFFERED.contains(format)) {
            if (NOT_OFFERED.contains(format)) {
                throw new Status(406, "format=" + format + " is not offered here (raw, car, or a block's own codec)");
            }
            throw new Status(400, "unsupported format '" + format + "' (raw or car)");
        }
        if (format.equals("car")) {
            String version = query.get("car-version");
            if (version == null && accept != null && accept.contains(CAR)) {
                version = param(accept, "version");
            }
            if (version != null && !version.equals("1")) {
                throw new Status(406, "CAR version " + version + " is not offered here (version=1)");
            }
            String order = query.get("car-order");
            if (order == null && accept != null && accept.contains(CAR)) {
                order = param(accept, "order");
            }
            if (order != null && !order.equals("dfs") && !order.equals("unk")) {
                throw new Status(406, "CAR order " + order + " is not offered here (order=dfs)");
            }
        }
        String dups = query.get("car-dups");
        if (dups == null && accept != null && accept.contains(CAR)) {
            dups = param(accept, "dups");
        }
        return new Request(ex, head, path, rawPath, rawQuery, query, format, "y".equals(dups),
                !fromUrl && !format.isEmpty());
    }

    /** A parameter of the CAR media type in an {@code Accept} header, or null. */
    private static String param(String accept, String name) {
        for (String type : accept.split(",")) {
            if (!type.contains(CAR)) {
                continue;
            }
            for (String p : type.split(";")) {
                String kv = p.trim();
                if (kv.startsWith(name + "=")) {
                    return kv.substring(name.length() + 1).trim();
                }
            }
        }
        return null;
    }

    /** Every response may be read from a page of another origin: content is public by its CID. */
    private static void cors(Exchange ex) {
        ex.setHeader("Access-Control-Allow-Origin", "*");
        ex.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        ex.setHeader("Access-Control-Allow-Headers", "Content-Type, Range, User-Agent, X-Requested-With");
        ex.setHeader("Access-Control-Expose-Headers",
                "Content-Length, Content-Range, X-Chunked-Output, X-Stream-Output, X-Ipfs-Path, X-Ipfs-Roots");
    }

    /**
     * Sets the validators of an immutable response ({@code ETag}, {@code Cache-Control}) and
     * answers 304 when {@code If-None-Match} names the tag: true if it did.
     */
    static boolean cached(Request r, String etag, Outcome out) throws IOException {
        r.ex().setHeader("ETag", etag);
        r.ex().setHeader("Cache-Control", IMMUTABLE);
        return notModified(r, etag, out);
    }

    /** Answers 304 when {@code If-None-Match} names {@code etag}: true if it did. */
    static boolean notModified(Request r, String etag, Outcome out) throws IOException {
        if (!Etags.matches(r.header("If-None-Match"), etag)) {
            return false;
        }
        out.status = 304;
        r.ex().sendHeaders(304, -1);
        return true;
    }

    /** {@code Content-Disposition} of a download: {@code ?filename=} if given, else {@code name}. */
    static String attachment(Request r, String name) {
        String given = r.param("filename");
        return "attachment; filename=\"" + quoted(given != null && !given.isEmpty() ? given : name) + "\"";
    }

    /** Text safe inside an HTML element or a quoted attribute. */
    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A value safe inside a quoted header parameter: no quotes, backslashes or controls. */
    static String quoted(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? '_' : c);
        }
        return sb.toString();
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

    /**
     * Sends the status line and headers. A HEAD response carries the Content-Length a GET would
     * have; a GET of zero bytes says so.
     */
    static void send(Exchange ex, int code, boolean head, long length) throws IOException {
        if (head) {
            if (length >= 0) {
                ex.setHeader("Content-Length", Long.toString(length));
            }
            ex.sendHeaders(code, -1);
        } else {
            ex.sendHeaders(code, length == 0 ? -1 : length);
        }
    }

    /** Most ranges one request may ask for; past it the whole content is sent (RFC 9110 allows it). */
    static final int MAX_RANGES = 32;

    /**
     * The ranges of a {@code Range} header, each inclusive {@code {from, to}}; null to send the
     * whole content (no header, not bytes, malformed, or too many). Ranges outside the content are
     * dropped; if none is left, 416.
     */
    static List<long[]> ranges(String header, long size) throws Status {
        if (header == null || !header.startsWith("bytes=")) {
            return null;
        }
        String[] specs = header.substring(6).split(",");
        if (specs.length > MAX_RANGES) {
            return null;
        }
        List<long[]> out = new java.util.ArrayList<>();
        Status unsatisfiable = null;
        for (String spec : specs) {
            try {
                long[] r = range("bytes=" + spec.trim(), size);
                if (r == null) {
                    return null; // one malformed range: the header is ignored
                }
                out.add(r);
            } catch (Status e) {
                unsatisfiable = e;
            }
        }
        if (out.isEmpty() && unsatisfiable != null) {
            throw unsatisfiable;
        }
        return out.isEmpty() ? null : out;
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
}
