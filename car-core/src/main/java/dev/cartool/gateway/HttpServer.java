package dev.cartool.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server for the gateway. One selector thread accepts connections and reads
 * request heads without blocking, so a client that connects and sends nothing, or sends half a
 * request line and stalls, costs a few hundred bytes and no thread. A complete head whose
 * response is small (a body of at most 16 KiB: a small file, a block, a listing, an error) is
 * answered by the selector thread itself, the response made whole in memory and written without
 * blocking; any other goes to a bounded pool of workers, which write it with blocking writes
 * (sendfile for checked leaves). Everything a client
 * can make the server hold is bounded: the head (16 KiB, 100 header lines), the time to send it
 * (10 s once begun; 60 s of silence on a kept-alive connection), the connections (4,096), the
 * queue of heads waiting for a worker (answered 503 past it), and a response the client stops
 * reading (its connection is closed after 60 s without progress).
 *
 * <p>Written for this project in place of the JDK's {@code com.sun.net.httpserver}, whose
 * workers block reading request lines: 70 stalled clients took every thread of the pool.
 */
final class HttpServer implements Closeable {
    /** Serves one request. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    static final int MAX_HEAD = 16 << 10;
    static final int MAX_HEADERS = 100;
    static final int MAX_CONNECTIONS = 4096;
    /** How long a worker waits for the next request on a connection it just served. */
    static final int LINGER_MILLIS = 25;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final ThreadPoolExecutor workers;
    private final Handler handler;
    private final ConcurrentLinkedQueue<Conn> comeBack = new ConcurrentLinkedQueue<>();
    private final Set<Conn> serving = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lingering = new AtomicInteger();
    /** Connections with a whole request head that found every worker busy. */
    private final ConcurrentLinkedQueue<Conn> backlog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlogged = new AtomicInteger();
    private final int backlogMax;
    private final int lingerMax;
    private final long headNanos;
    private final long idleNanos;
    private final long stallNanos;
    private Thread loop;
    /**
     * The outbox of the responses the selector thread answers, used again while the socket takes
     * each whole (a response it does not keep the buffer; the next gets a new one).
     */
    private ByteBuffer spare;
    /** When the connections were last checked for stalls and idleness (selector thread only). */
    private long lastSweep = System.nanoTime();
    /** When the selector last had events (selector thread only; at start, long ago). */
    private long lastEvent = System.nanoTime() - (1L << 62);
    private volatile long spinNanos;
    /** The connections a turn hands to workers (selector thread only; one list for every turn). */
    private final List<Conn> ready = new ArrayList<>();
    private volatile boolean closed;
    /** When the last request finished, and whether memory was given back since. */
    private volatile long lastActive = System.nanoTime();
    private volatile boolean trimmed = true;
    /** Quiet this long after a busy spell, the server gives its spare heap back to the system. */
    static final long TRIM_AFTER_NANOS = 30_000_000_000L;

    /**
     * @param threads requests served at once
     * @param headTimeoutMillis time a client has to finish a request head once it has begun
     * @param idleTimeoutMillis silence allowed on a connection between requests
     * @param stallTimeoutMillis time a response may wait on a client that does not read
     */
    HttpServer(InetSocketAddress listen, int threads, Handler handler, long headTimeoutMillis, long idleTimeoutMillis,
            long stallTimeoutMillis) throws IOException {
        this.handler = handler;
        this.lingerMax = threads / 2;
        this.headNanos = TimeUnit.MILLISECONDS.toNanos(headTimeoutMillis);
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis);
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallTimeoutMillis);
        this.server = ServerSocketChannel.open();
        server.bind(listen, 1024);
        server.configureBlocking(false);
        this.selector = Selector.open();
        server.register(selector, SelectionKey.OP_ACCEPT);
        AtomicInteger n = new AtomicInteger();
        this.backlogMax = Math.max(64, threads * 4);
        // Handed over, not queued: an idle worker takes a request directly, the one idle the
        // shortest time first (the synchronous queue's waiting threads are a stack), so under a
        // load of small requests a few hot threads do the work instead of all of them in turn
        // (16 connections of small requests: 44,000 -> 48,000 a second, noisy). With every worker busy
        // a request waits in the backlog, taken by the next worker to finish.
        this.workers = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "car-gateway-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** The selector thread, once started (for tests). */
    Thread selectorThread() {
        return loop;
    }

    void start() {
        loop = new Thread(this::run, "car-gateway-accept");
        loop.setDaemon(true);
        loop.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        workers.shutdownNow();
        try {
            if (loop != null) {
                loop.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : serving) {
            c.close();
        }
        Conn waiting;
        while ((waiting = backlog.poll()) != null) {
            waiting.close();
        }
        server.close();
    }

    /** One client connection. */
    static final class Conn {
        final SocketChannel ch;
        final String remote;
        /** Bytes of the next request head (and any pipelined after it); grows to MAX_HEAD. */
        ByteBuffer in = ByteBuffer.allocate(512);
        /** When the wait for the current head began, and whether any of it has arrived. */
        long since = System.nanoTime();
        boolean begun;
        volatile long progress = System.nanoTime();
        /** A response answered on the selector thread that the socket has not all taken yet. */
        ByteBuffer pending;
        boolean closeAfter;

        Conn(SocketChannel ch) throws IOException {
            this.ch = ch;
            InetSocketAddress a = (InetSocketAddress) ch.getRemoteAddress();
            this.remote = a == null ? "-" : a.getAddress().getHostAddress();
        }

        void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                turn();
            }
        } catch (IOException | ClosedSelectorException e) {
            // shutting down
        } finally {
            for (SelectionKey k : selector.keys()) {
                try {
                    k.channel().close();
                } catch (IOException ignored) {
                    // shutting down
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    /**
     * One turn of the selector loop: wait for events, then answer, hand off or accept. A method
     * of its own rather than the body of {@link #run()}'s loop: that loop runs once for the
     * server's life, so C2 code for it is on-stack-replacement code, thrown away whenever a path
     * it had never seen is taken (a client closing its connection: a read that returns -1, a
     * reset's handler) and made again only after tens of thousands of turns at C1, or not at
     * all. A method called once a turn is compiled again within half a second.
     */
    private void turn() throws IOException {
        await();
        if (!selector.selectedKeys().isEmpty()) {
            lastEvent = System.nanoTime();
        }
        Conn c;
        while ((c = comeBack.poll()) != null) {
            try {
                c.ch.configureBlocking(false);
                c.ch.register(selector, SelectionKey.OP_READ, c);
            } catch (IOException e) {
                drop(c);
            }
        }
        ready.clear();
        for (SelectionKey key : selector.selectedKeys()) {
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                accept();
            } else if (key.isWritable()) {
                Conn conn = (Conn) key.attachment();
                if (flush(key, conn) && !answerHere(key, conn)) {
                    key.cancel();
                    ready.add(conn);
                }
            } else if (key.isReadable()) {
                Conn conn = (Conn) key.attachment();
                if (readHead(conn) && !answerHere(key, conn)) {
                    key.cancel();
                    ready.add(conn);
                }
            }
        }
        selector.selectedKeys().clear();
        if (!ready.isEmpty()) {
            selector.selectNow(); // deregisters the cancelled keys, so the channels may block
            selector.selectedKeys().clear();
            for (Conn conn : ready) {
                dispatch(conn);
            }
        }
        drainBacklog();
        long now = System.nanoTime();
        if (now - lastSweep > 250_000_000L) {
            lastSweep = now;
            sweep(now);
        }
    }

    /**
     * Waits for the next events. Within {@link #busyPoll} of the last one it polls instead of
     * sleeping: a thread put to sleep in epoll_wait is woken through the scheduler, and on a
     * virtual machine an idle vCPU first through the hypervisor, which was most of the time a
     * request on a kept-alive connection took when its client sends the next one as soon as it has
     * the last (perf: half the selector thread's samples in the kernel's wake-up and task switch;
     * one connection of 1-4 KiB files, 5,500 -> 11,000 requests a second). Quiet for longer, the
     * thread sleeps as before, so an idle server costs nothing.
     */
    private void await() throws IOException {
        long spin = spinNanos;
        if (spin > 0) {
            long until = lastEvent + spin;
            while (System.nanoTime() - until < 0) {
                if (selector.selectNow() > 0 || !comeBack.isEmpty() || closed) {
                    return;
                }
                Thread.onSpinWait();
            }
        }
        selector.select(500);
    }

    /** How long after its last event the selector thread polls rather than sleeps; 0: never. */
    void busyPoll(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("busy poll " + nanos + " ns");
        }
        spinNanos = nanos;
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (open.get() >= MAX_CONNECTIONS) {
                ch.close();
                continue;
            }
            open.incrementAndGet();
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
            } catch (IOException e) {
                open.decrementAndGet();
                ch.close();
            }
        }
    }

    /** Reads what has arrived; true when a whole head is buffered. */
    private boolean readHead(Conn c) {
        try {
            if (!c.in.hasRemaining()) {
                if (c.in.capacity() >= MAX_HEAD) {
                    reject(c, 431, "request head larger than " + MAX_HEAD + " bytes");
                    return false;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD, c.in.capacity() * 4));
                c.in.flip();
                bigger.put(c.in);
                c.in = bigger;
            }
            int n = c.ch.read(c.in);
            if (n < 0) {
                drop(c);
                return false;
            }
            if (n > 0 && !c.begun) {
                c.begun = true;
                c.since = System.nanoTime();
            }
            return headEnd(c.in.array(), c.in.position()) >= 0;
        } catch (IOException e) {
            drop(c);
            return false;
        }
    }

    /**
     * Answers the buffered requests of a connection here, on the selector thread, while their
     * responses are small (a small file or block, a listing, an error, a 304: at most
     * {@link Exchange#INLINE_MAX} of body): each is made whole in memory and written without
     * blocking; what the socket does not take at once is written when it can. Under a load of
     * small requests this is what nginx does, and a request costs no hand-over between threads
     * (at 64 connections a worker per connection spent a sixth of the CPU switching threads).
     *
     * @return false when the next request's response is large or of unknown length: its head
     *     is still buffered, for a worker to serve with blocking writes
     */
    private boolean answerHere(SelectionKey key, Conn c) {
        while (true) {
            int end = headEnd(c.in.array(), c.in.position());
            if (end < 0) {
                return true; // the rest of the head comes later
            }
            long now = System.nanoTime();
            c.progress = now;
            Exchange ex = Exchange.parse(c, c.in.array(), end);
            if (spare == null) {
                spare = ByteBuffer.allocate(Exchange.INLINE_MAX + 4096);
            }
            ex.inline(spare);
            try {
                if (ex.error() != null) {
                    ex.fail();
                } else {
                    handler.handle(ex);
                    ex.finish();
                }
            } catch (Exchange.HandOff h) {
                return false;
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // The handler has logged what it could; this thread serves every connection,
                // so nothing one request throws may end it.
                key.cancel();
                drop(c);
                return true;
            } finally {
                lastActive = System.nanoTime();
                trimmed = false;
            }
            c.in.flip().position(end);
            c.in.compact(); // a pipelined request stays for the next round
            ByteBuffer out = ex.outbox();
            if (out == null || !c.ch.isOpen()) {
                key.cancel();
                drop(c); // cut (a block failed its check): closed, nothing completed
                return true;
            }
            try {
                c.ch.write(out);
            } catch (IOException e) {
                key.cancel();
                drop(c);
                return true;
            }
            c.begun = c.in.position() > 0;
            c.since = now;
            if (out.hasRemaining()) {
                if (out == spare) {
                    spare = null;
                }
                c.pending = out;
                c.closeAfter = !ex.keepAlive();
                key.interestOps(SelectionKey.OP_WRITE);
                return true;
            }
            if (!ex.keepAlive()) {
                key.cancel();
                drop(c);
                return true;
            }
        }
    }

    /**
     * Writes what is left of a response answered here; true when it is all written and the
     * connection reads again (it may hold the next request already).
     */
    private boolean flush(SelectionKey key, Conn c) {
        try {
            c.ch.write(c.pending);
        } catch (IOException e) {
            key.cancel();
            drop(c);
            return false;
        }
        c.progress = System.nanoTime();
        if (c.pending.hasRemaining()) {
            return false;
        }
        c.pending = null;
        if (c.closeAfter) {
            key.cancel();
            drop(c);
            return false;
        }
        key.interestOps(SelectionKey.OP_READ);
        return true;
    }

    /** The index just past the blank line ending a head in {@code b[0, len)}, or -1. */
    static int headEnd(byte[] b, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < len && b[i + 2] == '\n'))) {
                return b[i + 1] == '\n' ? i + 2 : i + 3;
            }
        }
        return -1;
    }

    /** Closes heads that take too long and connections idle too long. */
    private void sweep(long now) {
        for (SelectionKey key : selector.keys()) {
            if (!(key.attachment() instanceof Conn)) {
                continue;
            }
            Conn c = (Conn) key.attachment();
            if (c.pending != null) {
                if (now - c.progress > stallNanos) {
                    key.cancel();
                    drop(c); // a client that stopped reading a response answered here
                }
            } else if (c.begun && now - c.since > headNanos) {
                key.cancel();
                reject(c, 408, "request head not received within " + TimeUnit.NANOSECONDS.toSeconds(headNanos) + " s");
            } else if (!c.begun && now - c.since > idleNanos) {
                key.cancel();
                drop(c);
            }
        }
        for (Conn c : serving) {
            if (now - c.progress > stallNanos) {
                c.close(); // a worker blocked writing to a client that stopped reading
            }
        }
        if (!trimmed && serving.isEmpty() && now - lastActive > TRIM_AFTER_NANOS) {
            // After a burst (64 downloads held ~600 MiB) the heap and the leaves' direct buffers
            // stay with the process until a full collection; a quiet server collects once, and
            // the collector returns what it no longer needs to the system.
            trimmed = true;
            System.gc();
        }
    }

    /** A short error written without blocking (best effort), then the connection closed. */
    private void reject(Conn c, int code, String why) {
        byte[] body = (code + " " + why + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + code + " " + Exchange.reason(code) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            c.ch.write(new ByteBuffer[] {ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(body)});
        } catch (IOException ignored) {
            // the client is gone
        }
        drop(c);
    }

    private void drop(Conn c) {
        c.close();
        open.decrementAndGet();
    }

    private void dispatch(Conn c) {
        try {
            workers.execute(() -> work(c));
            return;
        } catch (RejectedExecutionException e) {
            // every worker busy: to the backlog
        }
        if (closed) {
            drop(c);
        } else if (backlogged.incrementAndGet() > backlogMax) {
            backlogged.decrementAndGet();
            reject(c, 503, "too many requests waiting; try again");
        } else {
            backlog.add(c);
            drainBacklog(); // a worker may have come free meanwhile
        }
    }

    /** Serves a connection, then whatever waits in the backlog. */
    private void work(Conn c) {
        serve(c);
        Conn next;
        while ((next = backlog.poll()) != null) {
            backlogged.decrementAndGet();
            serve(next);
        }
    }

    /** Hands the backlog to a worker if one is idle (the selector also calls this as it sweeps). */
    private void drainBacklog() {
        if (backlog.isEmpty() || closed) {
            return;
        }
        try {
            workers.execute(() -> {
                Conn next = backlog.poll();
                if (next != null) {
                    backlogged.decrementAndGet();
                    work(next);
                }
            });
        } catch (RejectedExecutionException e) {
            // all busy: each takes from the backlog when it finishes
        }
    }

    /**
     * Waits a moment on this thread for the next request of a kept-alive connection: a client
     * that sends its next request as soon as it has a response (most do) is served without
     * going back through the selector (a register, a wake-up, a select and a hand-over per
     * request). At most half the workers wait so, each at most {@link #LINGER_MILLIS}, so
     * requests on other connections still find workers; a client that is silent longer goes
     * back to the selector, where waiting costs no thread.
     *
     * @return whether more of a request arrived
     */
    private boolean awaitHead(Conn c) throws IOException {
        if (lingering.incrementAndGet() > lingerMax || closed) {
            lingering.decrementAndGet();
            return false;
        }
        try {
            c.ch.socket().setSoTimeout(LINGER_MILLIS);
            boolean got = false;
            while (headEnd(c.in.array(), c.in.position()) < 0) {
                if (!c.in.hasRemaining()) {
                    return got; // a long head: the selector grows the buffer and bounds it
                }
                int n;
                try {
                    n = c.ch.socket().getInputStream().read(c.in.array(), c.in.position(), c.in.remaining());
                } catch (java.net.SocketTimeoutException e) {
                    return got;
                }
                if (n < 0) {
                    throw new java.io.EOFException("closed by the client");
                }
                c.in.position(c.in.position() + n);
                if (!got) {
                    got = true;
                    c.begun = true;
                    c.since = System.nanoTime();
                }
            }
            return true;
        } finally {
            lingering.decrementAndGet();
        }
    }

    /** Serves the buffered request(s) of a connection, then hands it back to the selector. */
    private void serve(Conn c) {
        serving.add(c);
        boolean keep = false;
        try {
            c.ch.configureBlocking(true);
            while (true) {
                int end = headEnd(c.in.array(), c.in.position());
                if (end < 0 && awaitHead(c)) {
                    end = headEnd(c.in.array(), c.in.position());
                }
                if (end < 0) {
                    keep = true;
                    break;
                }
                c.progress = System.nanoTime();
                Exchange ex = Exchange.parse(c, c.in.array(), end);
                // keep what follows the head (a pipelined request) for the next round
                c.in.flip().position(end);
                c.in.compact();
                if (ex.error() != null) {
                    ex.fail();
                    break;
                }
                try {
                    handler.handle(ex);
                } finally {
                    ex.finish();
                }
                if (!ex.keepAlive()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            keep = false;
        } finally {
            serving.remove(c);
            lastActive = System.nanoTime();
            trimmed = false;
        }
        if (keep && !closed && c.ch.isOpen()) {
            c.begun = c.in.position() > 0;
            c.since = System.nanoTime();
            comeBack.add(c);
            selector.wakeup();
        } else {
            drop(c);
        }
    }
}
