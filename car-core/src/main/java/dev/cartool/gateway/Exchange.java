package dev.cartool.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cartool.io.Preads;

/**
 * One request and its response on an {@link HttpServer} connection. The response is written
 * as the handler goes: {@link #sendHeaders} fixes status and length (a length, chunked, or no
 * body), then {@link #body()} takes the bytes; a body that ends short of its length, or a
 * failure mid-body, closes the connection so the client sees the cut.
 */
final class Exchange {
    private final HttpServer.Conn conn;
    private final String method;
    private final String target;
    private final boolean http11;
    private final Map<String, List<String>> requestHeaders;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final String error;
    private boolean keepAlive;
    private boolean headersSent;
    private BodyStream body;
    private int status;
    private boolean aborted;
    /**
     * Set when the server runs the handler on its selector thread: the response is kept whole
     * here, to be written without blocking; one that would not fit is handed off (see {@link #inline}).
     */
    private ByteBuffer outbox;
    private boolean inline;
    private ByteBuffer spare;
    private boolean handedOff;

    /** The largest body answered on the selector thread; a larger or chunked one goes to a worker. */
    static final int INLINE_MAX = 16 << 10;

    /**
     * Thrown from {@link #sendHeaders} on the selector thread for a response too large to keep
     * in memory (or of unknown length), before anything is sent: a worker serves the request
     * again from its head, with blocking writes.
     */
    static final class HandOff extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private HandOff() {
            super("served by a worker", null, false, false);
        }
    }

    private static final HandOff HAND_OFF = new HandOff();

    private Exchange(HttpServer.Conn conn, String method, String target, boolean http11,
            Map<String, List<String>> headers, String error, boolean keepAlive) {
        this.conn = conn;
        this.method = method;
        this.target = target;
        this.http11 = http11;
        this.requestHeaders = headers;
        this.error = error;
        this.keepAlive = keepAlive;
    }

    /** The head's lines, each without its CR LF (or bare LF): what split("\r?\n") gave, without a regex per request. */
    static String[] lines(String head) {
        List<String> out = new ArrayList<>(16);
        int from = 0;
        while (true) {
            int nl = head.indexOf('\n', from);
            if (nl < 0) {
                out.add(head.substring(from));
                return out.toArray(new String[0]);
            }
            out.add(head.substring(from, nl > from && head.charAt(nl - 1) == '\r' ? nl - 1 : nl));
            from = nl + 1;
        }
    }

    /** The Date header's value, formatted once a second (as nginx keeps its time string). */
    private static final class HttpDate {
        private record Stamp(long second, String text) {
        }

        private static volatile Stamp last = new Stamp(-1, "");

        static String now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = last;
            if (s.second != second) {
                s = new Stamp(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC)));
                last = s;
            }
            return s.text;
        }
    }

    /** Parses the head in {@code b[0, end)}; a malformed head gives an exchange whose {@link #error()} says why. */
    static Exchange parse(HttpServer.Conn conn, byte[] b, int end) {
        String head = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = lines(head);
        String[] parts = lines[0].split(" ", -1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            return new Exchange(conn, "", "", true, headers, "400 malformed request line", false);
        }
        boolean http11 = parts[2].equals("HTTP/1.1");
        if (!http11 && !parts[2].equals("HTTP/1.0")) {
            return new Exchange(conn, parts[0], parts[1], true, headers, "505 HTTP version not supported", false);
        }
        for (int i = 0; i < parts[1].length(); i++) {
            char c = parts[1].charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return new Exchange(conn, parts[0], "", http11, headers, "400 request target holds a control or non-ASCII byte", false);
            }
        }
        int count = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (++count > HttpServer.MAX_HEADERS || colon <= 0 || !isToken(line.substring(0, colon))) {
                return new Exchange(conn, parts[0], parts[1], http11, headers,
                        count > HttpServer.MAX_HEADERS ? "431 too many header lines" : "400 malformed header line", false);
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        String connection = first(headers, "connection");
        boolean keep = http11 ? !"close".equalsIgnoreCase(connection) : "keep-alive".equalsIgnoreCase(connection);
        // No request here has a body: one that announces a body is answered, then the connection closed.
        String length = first(headers, "content-length");
        if (headers.containsKey("transfer-encoding") || (length != null && !length.equals("0"))) {
            keep = false;
        }
        return new Exchange(conn, parts[0], parts[1], http11, headers, null, keep);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    String error() {
        return error;
    }

    String method() {
        return method;
    }

    /** The request target exactly as sent (origin form: path and query, still percent-encoded). */
    String target() {
        return target;
    }

    String remote() {
        return conn.remote;
    }

    /** The first value of a request header (name in any case), or null. */
    String requestHeader(String name) {
        return first(requestHeaders, name.toLowerCase(Locale.ROOT));
    }

    /** Every value of a request header, in order. */
    List<String> requestHeaders(String name) {
        return requestHeaders.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    void setHeader(String name, String value) {
        for (String k : responseHeaders.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                responseHeaders.remove(k);
                break;
            }
        }
        responseHeaders.put(name, value);
    }

    String responseHeader(String name) {
        for (Map.Entry<String, String> e : responseHeaders.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean headersSent() {
        return headersSent;
    }

    int status() {
        return status;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the response is kept in memory for the selector thread (and may still be handed off). */
    boolean inMemory() {
        return inline;
    }

    /**
     * Keeps the response in memory, to be written by the selector thread; large ones are handed
     * off. {@code spare}: a buffer the response goes into when it fits (its owner's, for reuse).
     */
    void inline(ByteBuffer spare) {
        inline = true;
        this.spare = spare;
    }

    /**
     * Hands the request to a worker now if it is being answered on the selector thread: for a
     * handler about to do work that grows with the data (listing a large directory, reading a
     * large block). Also after the headers: an answer kept in memory has sent nothing yet, and the
     * worker serves the request again from its head.
     */
    void onWorker() {
        if (inline) {
            handedOff = true;
            throw HAND_OFF;
        }
    }

    /** Whether this request was handed to a worker, to be served (and logged) there. */
    boolean handedOff() {
        return handedOff;
    }

    /** The response kept in memory (inline), ready to be written; null before the headers. */
    ByteBuffer outbox() {
        return outbox == null ? null : outbox.flip();
    }

    /**
     * Sends the status line and headers. {@code length}: the body's byte count; {@code 0}: a body
     * of unknown length (chunked); {@code -1}: no body (a {@code Content-Length} header the
     * handler set is kept, as a HEAD response carries the length a GET would send).
     */
    void sendHeaders(int code, long length) throws IOException {
        if (headersSent) {
            throw new IllegalStateException("headers already sent");
        }
        boolean noBody = length < 0 || code == 204 || code == 304 || method.equals("HEAD");
        if (inline && !noBody && (length == 0 || length > INLINE_MAX)) {
            handedOff = true;
            throw HAND_OFF;
        }
        headersSent = true;
        status = code;
        if (length == 0 && !noBody && !http11) {
            keepAlive = false; // HTTP/1.0 has no chunks: the body ends with the connection
        }
        StringBuilder sb = new StringBuilder(1024); // a gateway's head is 700-900 bytes: no regrowth
        sb.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(code).append(' ').append(reason(code)).append("\r\n");
        sb.append("Date: ").append(HttpDate.now()).append("\r\n");
        sb.append("Server: car\r\n");
        for (Map.Entry<String, String> e : responseHeaders.entrySet()) {
            if (!e.getKey().equalsIgnoreCase("Content-Length") && !e.getKey().equalsIgnoreCase("Transfer-Encoding")
                    && !e.getKey().equalsIgnoreCase("Connection")) {
                sb.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
            }
        }
        long declared;
        if (noBody) {
            String cl = responseHeader("Content-Length");
            if (length > 0) {
                sb.append("Content-Length: ").append(length).append("\r\n");
            } else if (cl != null) {
                sb.append("Content-Length: ").append(cl).append("\r\n");
            } else if (code != 204 && code != 304) {
                sb.append("Content-Length: 0\r\n");
            }
            declared = 0;
        } else if (length > 0) {
            sb.append("Content-Length: ").append(length).append("\r\n");
            declared = length;
        } else {
            if (http11) {
                sb.append("Transfer-Encoding: chunked\r\n");
            }
            declared = -1;
        }
        if (!keepAlive) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        if (inline) {
            // The head and then the body straight into the outbox, sized to both: no buffer
            // between them (a copy and an allocation of every small response).
            int need = sb.length() + (int) declared;
            outbox = spare != null && spare.capacity() >= need ? spare.clear() : ByteBuffer.allocate(need);
            outbox.position(latin1(sb, outbox.array()));
            body = new BodyStream(declared, false, null);
        } else {
            byte[] head = new byte[sb.length()];
            int n = latin1(sb, head);
            body = new BodyStream(declared, http11 && declared < 0, n == head.length ? head : Arrays.copyOf(head, n));
        }
    }

    /**
     * {@code sb} in ISO-8859-1 into the start of {@code to} (at least as long), as
     * {@code String.getBytes} encodes it: '?' for a character it cannot hold, one for a surrogate
     * pair. Returns the bytes written.
     */
    static int latin1(CharSequence sb, byte[] to) {
        int at = 0;
        for (int i = 0, n = sb.length(); i < n; i++) {
            char c = sb.charAt(i);
            if (c <= 0xff) {
                to[at++] = (byte) c;
            } else {
                to[at++] = (byte) '?';
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(sb.charAt(i + 1))) {
                    i++;
                }
            }
        }
        return at;
    }

    /** Where the body goes: written once {@link #sendHeaders} has been called. */
    OutputStream body() {
        return new OutputStream() {
            private BodyStream out() {
                if (body == null) {
                    throw new IllegalStateException("body written before the headers were sent");
                }
                return body;
            }

            @Override
            public void write(int b) throws IOException {
                out().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out().flush();
            }

            @Override
            public void close() throws IOException {
                if (body != null) {
                    body.flush();
                }
            }
        };
    }

    /**
     * The body as a channel: a buffer handed to it goes to the socket as it is (a direct buffer
     * is never copied into the heap), after anything still buffered.
     */
    dev.cartool.io.FileRegionSink bodyChannel() {
        return new dev.cartool.io.FileRegionSink() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                if (body == null) {
                    throw new IllegalStateException("body written before the headers were sent");
                }
                return body.write(src);
            }

            @Override
            public void writeFrom(java.nio.channels.FileChannel file, long position, long count) throws IOException {
                if (body == null) {
                    throw new IllegalStateException("body written before the headers were sent");
                }
                body.writeFrom(file, position, count);
            }

            @Override
            public boolean isOpen() {
                return conn.ch.isOpen();
            }

            @Override
            public void close() {
                // the exchange finishes the body
            }
        };
    }

    /** A malformed request: the error, then the connection closed. */
    void fail() throws IOException {
        int code = Integer.parseInt(error.substring(0, 3));
        keepAlive = false;
        byte[] text = (error + "\n").getBytes(StandardCharsets.UTF_8);
        setHeader("Content-Type", "text/plain; charset=utf-8");
        sendHeaders(code, text.length);
        body.write(text);
        finish();
    }

    /** Cuts the response: the connection is closed with what was sent, nothing completed. */
    void abort() {
        aborted = true;
        keepAlive = false;
        conn.close();
    }

    /** Completes the response: the last chunk, or a check that a fixed-length body is whole. */
    void finish() throws IOException {
        if (aborted) {
            return;
        }
        if (body == null) {
            // The handler sent nothing: a server error, and the connection is not reused.
            keepAlive = false;
            setHeader("Content-Type", "text/plain; charset=utf-8");
            byte[] text = "500 no response\n".getBytes(StandardCharsets.UTF_8);
            sendHeaders(500, text.length);
            body.write(text);
        }
        body.complete();
        if (!body.whole()) {
            keepAlive = false;
            conn.close();
        }
    }

    static String reason(int code) {
        switch (code) {
            case 200: return "OK";
            case 204: return "No Content";
            case 206: return "Partial Content";
            case 301: return "Moved Permanently";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 408: return "Request Timeout";
            case 412: return "Precondition Failed";
            case 416: return "Range Not Satisfiable";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Status " + code;
        }
    }

    /**
     * The response body: buffered (64 KiB; the head goes out with the first data), counted,
     * chunked or fixed, noting progress for the server's stall check; or, inline, written
     * straight into the outbox after the head.
     */
    private final class BodyStream extends OutputStream {
        private final long declared;
        private final boolean chunked;
        /** Null when inline: the outbox holds the response. */
        private final ByteBuffer buf;
        private byte[] head;
        private long written;
        private boolean completed;

        /** {@code head}: the status line and headers, sent with the first data; null when inline. */
        BodyStream(long declared, boolean chunked, byte[] head) {
            this.declared = declared;
            this.chunked = chunked;
            this.head = head;
            // Sized to the body when it is known and small: a 64 KiB buffer for every response
            // of a small file was 78% of the gateway's allocation, and a young collection
            // (stopping every thread) each few milliseconds.
            this.buf = head == null ? null
                    : ByteBuffer.allocate(declared >= 0 ? (int) Math.max(16, Math.min(declared, BUFFER)) : BUFFER);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (completed) {
                throw new IOException("response already complete");
            }
            if (declared >= 0 && written + len > declared) {
                throw new IOException("body longer than its Content-Length " + declared);
            }
            written += len;
            if (buf == null) {
                outbox.put(b, off, len);
                return;
            }
            while (len > 0) {
                if (!buf.hasRemaining()) {
                    drain(false);
                }
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        /** Writes all of {@code src}: small pieces are buffered, large ones go straight out. */
        int write(ByteBuffer src) throws IOException {
            int len = src.remaining();
            if (completed) {
                throw new IOException("response already complete");
            }
            if (declared >= 0 && written + len > declared) {
                throw new IOException("body longer than its Content-Length " + declared);
            }
            if (buf == null) {
                written += len;
                outbox.put(src);
                return len;
            }
            if (len < 16 << 10 || chunked) {
                written += len;
                while (src.hasRemaining()) {
                    if (!buf.hasRemaining()) {
                        drain(false);
                    }
                    int n = Math.min(src.remaining(), buf.remaining());
                    ByteBuffer slice = src.slice();
                    slice.limit(n);
                    buf.put(slice);
                    src.position(src.position() + n);
                }
                return len;
            }
            drain(false);
            written += len;
            send(new ByteBuffer[] {src});
            return len;
        }

        /**
         * Writes {@code count} bytes of {@code file} from {@code position}: the kernel sends them
         * from the file to the socket (sendfile), after the head and what is buffered. A chunked
         * body reads them through the buffer, to frame them.
         */
        void writeFrom(java.nio.channels.FileChannel file, long position, long count) throws IOException {
            if (completed) {
                throw new IOException("response already complete");
            }
            if (declared >= 0 && written + count > declared) {
                throw new IOException("body longer than its Content-Length " + declared);
            }
            if (buf == null) {
                written += count;
                int end = outbox.position() + (int) count;
                ByteBuffer into = outbox.duplicate().limit(end);
                if (!Preads.readFully(file, into, position)) {
                    throw ended(file, position + count - into.remaining());
                }
                outbox.position(end);
                return;
            }
            if (chunked) {
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, BUFFER));
                for (long done = 0; done < count; ) {
                    b.clear().limit((int) Math.min(b.capacity(), count - done));
                    if (!Preads.readFully(file, b, position + done)) {
                        throw ended(file, position + done + b.position());
                    }
                    done += b.position();
                    write(b.flip());
                }
                return;
            }
            drain(false);
            written += count;
            for (long done = 0; done < count; ) {
                long n = file.transferTo(position + done, count - done, conn.ch);
                if (n <= 0 && position + done >= file.size()) {
                    throw ended(file, position + done);
                }
                done += n;
                conn.progress = System.nanoTime();
            }
        }

        private IOException ended(java.nio.channels.FileChannel file, long at) throws IOException {
            return new java.io.EOFException("file of " + file.size() + " bytes ended at offset " + at + ", inside a part sent");
        }

        @Override
        public void flush() throws IOException {
            drain(false);
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        void complete() throws IOException {
            if (completed) {
                return;
            }
            completed = true;
            drain(chunked && whole());
        }

        boolean whole() {
            return declared < 0 || written == declared;
        }

        /** Writes the head if still pending, the buffered data (as one chunk when chunked), and the last chunk if asked. */
        private void drain(boolean last) throws IOException {
            if (buf == null) {
                return; // inline: everything is in the outbox already
            }
            buf.flip();
            List<ByteBuffer> out = new ArrayList<>(5);
            if (head != null) {
                out.add(ByteBuffer.wrap(head));
                head = null;
            }
            if (buf.hasRemaining()) {
                if (chunked) {
                    out.add(ByteBuffer.wrap((Integer.toHexString(buf.remaining()) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                    out.add(buf);
                    out.add(ByteBuffer.wrap(CRLF));
                } else {
                    out.add(buf);
                }
            }
            if (last) {
                out.add(ByteBuffer.wrap(LAST_CHUNK));
            }
            send(out.toArray(new ByteBuffer[0]));
            buf.clear();
        }

        /** To the socket, blocking until all is written. */
        private void send(ByteBuffer[] arr) throws IOException {
            long left = 0;
            for (ByteBuffer x : arr) {
                left += x.remaining();
            }
            while (left > 0) {
                left -= conn.ch.write(arr);
                conn.progress = System.nanoTime();
            }
        }
    }

    /** The most a response buffers before writing. */
    private static final int BUFFER = 64 << 10;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
}
