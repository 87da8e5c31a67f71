package dev.cartool.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Gathers writes that arrive in increasing order of position (with gaps allowed) into large
 * writes that start on a block boundary, for an {@link AtomicFile}. A CAR's sections start at
 * arbitrary offsets; written one by one, each partly fills its first and last page, and Linux
 * then spends about a third more system time per byte (measured on ext4: 0.58-0.66 s against
 * 0.35-0.53 s for 1 GiB in 256 KiB writes shifted by 39 bytes). Gaps are left as zeros, to be
 * written over later with {@link AtomicFile#writeAt}. One thread at a time.
 *
 * <p>{@link #bypassingCache} makes one whose blocks go to the device past the page cache
 * (O_DIRECT), from a few buffers in turn: one fills while a thread of its own writes another,
 * and a reader fetching ahead can read bytes straight into the buffer they will be written from
 * ({@link #channel()}'s {@link PlacingChannel#placeAt}), so that they are never copied. Writing
 * 1 GiB through the page cache on ext4 (the copy, delayed allocation a page at a time, then
 * writeback) was a third of an extract's CPU (perf: 26% of the samples the writes, 5% writeback
 * and flushes; 2.19 CPU-s against 1.43 past the cache) and stalled the writer once dirty pages
 * piled up; past the cache the same GiB took 0.06-0.07 s of system time and the disk's own time.
 */
public final class AlignedWriter implements Closeable {
    /**
     * Size of each write through the page cache, a multiple of any page size. Measured for `car
     * pack` of 1 GiB (12 runs each): 128 KiB 0.821 s, 256 KiB 0.812 s, 512 KiB 0.849 s (erratic),
     * 1 and 4 MiB erratic (0.79-1.25 s: the writer stalls behind writeback), unaligned 256 KiB
     * writes 0.905 s.
     */
    public static final int BLOCK = 256 << 10;

    /**
     * Size of each write past the cache. One GiB written from one thread (ext4 on a virtio disk):
     * 256 KiB writes 0.64 s, 1 MiB 0.44 s, 4 and 8 MiB 0.40 s; through the cache 0.58-1.75 s
     * with the final fsync, 0.23-1.30 s of it system time.
     */
    static final int DIRECT_BLOCK = 4 << 20;

    /**
     * Outputs from this size on are written past the page cache where the file system allows it
     * (extract's file, an image; pack's CAR of one file); smaller ones, and the files of a tree,
     * through it. Through the cache the cost goes with the host and the hour: pack of 1 GiB took
     * 969 ms against 1,061 past it at one hour, 1,234 against 1,053 at another, and on a host
     * where the copy into the cache was 0.9 CPU-s a GiB 2,464 against 1,369 (docs/benchmarks.md).
     */
    public static final long BYPASS_CACHE_FROM = 16L << 20;

    /**
     * Gaps are zeroed from this array: zeroed a byte at a time, pack's 1 GiB gaps (the places of
     * its interior nodes) kept a loop hot enough for C2 to compile it twice, 14 ms of its time.
     */
    private static final byte[] ZEROS = new byte[4096];

    private final AtomicFile out;
    private final int blockSize;
    /** What a write past the cache must be a multiple of, in position, length and address. */
    private final int alignment;
    /**
     * The file opened past the cache, or null: every block goes through {@link AtomicFile#writeAt}.
     * Dropped by the writing thread if the file system refuses a write.
     */
    private volatile FileChannel direct;
    /**
     * The buffer each block in the window being filled or placed ahead holds (block k's at {@code
     * k % held.length}), null until it needs one. Past the cache a flushed block's buffer goes to
     * its write, then, once written, to {@link #idle}; a buffer is made only when none is idle, so
     * a file filled in order (small leaves, nothing placed ahead) makes two unless the device falls
     * behind: 8 MiB where the ring of six made 24 (an extract of 11.6 million 64-byte leaves).
     */
    private final ByteBuffer[] held;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    /** The writes submitted and not yet seen done, oldest first (one thread writes them in turn). */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private int made;
    /**
     * Where the buffers past the cache come from (null through the cache): two at a time, as they
     * are needed (a file filled in order needs two). Each 4 MiB buffer allocated alone took about
     * 512 faults of 4 KiB pages, zeroed on the thread that reads ahead; from slabs a 64 MiB extract
     * took 0.397 -> 0.352 s (12 alternating runs), peak RSS 72 -> 78 MiB, page faults 7,190-7,690
     * -> 5,140-5,210 (four a slab; two, with the early flushes' threads, 5,380-6,430), and each
     * write pins two huge pages, not 1,024 small ones. Four at a time was
     * no faster and took pack, which uses three or four, from 68-72 to 83 MiB (two: 74).
     */
    private final Slabs slabs;
    private final ExecutorService writer;
    private long base;   // file offset of block[0]
    private long end;    // file offset just past the last byte put

    public AlignedWriter(AtomicFile out) {
        this.out = out;
        this.blockSize = BLOCK;
        this.alignment = 4096;
        this.held = new ByteBuffer[] {alignedBuffer(BLOCK, alignment)};
        this.made = 1;
        this.slabs = null;
        this.writer = null;
    }

    /**
     * Writes past the cache through {@code direct} (package-private for tests), in blocks of
     * {@link #DIRECT_BLOCK} from {@code buffers} buffers (at least 2): one filling while a thread
     * writes another, the rest for bytes placed ahead.
     */
    AlignedWriter(AtomicFile out, FileChannel direct, int alignment, int buffers) {
        this.out = out;
        this.blockSize = DIRECT_BLOCK;
        this.alignment = alignment;
        this.direct = direct;
        this.held = new ByteBuffer[Math.max(2, buffers)];
        this.slabs = new Slabs(DIRECT_BLOCK);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "car-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A writer whose blocks bypass the page cache, or null where the file system (tmpfs before
     * Linux 6.6, say) or the JDK does not allow it: the caller then writes as it would have.
     * {@code placeAhead} bytes beyond the block being filled can be {@link PlacingChannel#placeAt
     * placed} (a reader's read-ahead window): it makes at most a 4 MiB buffer for each 4 MiB of them,
     * plus two, and only as many as are in use at once.
     */
    public static AlignedWriter bypassingCache(AtomicFile out, long placeAhead) {
        AtomicFile.Direct d = out.openDirect();
        if (d == null || d.alignment() > DIRECT_BLOCK || DIRECT_BLOCK % d.alignment() != 0) {
            return null;
        }
        int buffers = (int) Math.min(64, 2 + (Math.max(0, placeAhead) + DIRECT_BLOCK - 1) / DIRECT_BLOCK);
        return new AlignedWriter(out, d.channel(), d.alignment(), buffers);
    }

    private record InFlight(Future<?> write, ByteBuffer buffer) {
    }

    /** The buffer of the block being filled, the one starting at {@link #base}. */
    private ByteBuffer current() throws IOException {
        return buffer(base / blockSize);
    }

    /**
     * Block {@code k}'s buffer, taken when first needed: allocating (and so zeroing) all of them up
     * front was 12-13 ms of a 64 MiB extract's start, before its first read; and a file that ends on
     * a block boundary takes none for the block after it.
     */
    private ByteBuffer buffer(long k) throws IOException {
        int slot = (int) (k % held.length);
        if (held[slot] == null) {
            held[slot] = obtain();
        }
        return held[slot];
    }

    /**
     * An idle buffer, a written block's, a new one while fewer than {@code held.length} are made,
     * or else the oldest write's once it is done. Blocks in the window hold at most all but one
     * (the one asking holds none), so some buffer is in flight when none is free.
     */
    private ByteBuffer obtain() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peek().write().isDone()) {
            idle.push(awaitOldest());
        }
        if (!idle.isEmpty()) {
            return idle.pop();
        }
        if (made < held.length) {
            made++;
            // Direct blocks are 4 MiB, so a slab's buffers start on 2 MiB: any alignment up to it.
            return slabs.take(Math.min(2, held.length - made + 1));
        }
        return awaitOldest();
    }

    /** Waits for the oldest write in flight (its failure is thrown) and gives back its buffer. */
    private ByteBuffer awaitOldest() throws IOException {
        InFlight w = inFlight.poll();
        Futures.await(w.write());
        return w.buffer();
    }

    private static ByteBuffer alignedBuffer(int size, int alignment) {
        return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size).slice();
    }

    /**
     * Puts {@code src} at {@code position}, which must not be before the end of what was put
     * before; the bytes in between stay zero.
     */
    public void put(ByteBuffer src, long position) throws IOException {
        if (position < end) {
            throw new IllegalArgumentException("write at " + position + " before the end of the last one, " + end);
        }
        zero(end, position);
        ByteBuffer s = src.duplicate();
        long at = position;
        while (s.hasRemaining()) {
            if (at >= base + blockSize) {
                flushBlock();
                continue;
            }
            int room = (int) (base + blockSize - at);
            int n = Math.min(room, s.remaining());
            current().put((int) (at - base), s, s.position(), n);
            s.position(s.position() + n);
            at += n;
        }
        end = at;
    }

    /**
     * A channel that puts what it is given after what was put before (a file written in order),
     * and past the cache places bytes ahead in the buffers they will be written from.
     */
    public PlacingChannel channel() {
        return new PlacingChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                put(src, end);
                src.position(src.limit());
                return n;
            }

            @Override
            public long position() {
                return end;
            }

            @Override
            public ByteBuffer placeAt(long position, int length) throws IOException {
                return AlignedWriter.this.placeAt(position, length);
            }

            @Override
            public void filled(int length) throws IOException {
                long to = end + length;
                while (to >= base + blockSize) {
                    flushBlock();
                }
                end = to;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
                // finished by the writer's owner
            }
        };
    }

    /**
     * The buffer the {@code length} bytes at {@code position} will be written from, or null: not
     * past the cache, behind what was put, across two blocks, or further ahead than the buffers
     * reach. Waits for the write of the block that had the buffer before, if still in flight.
     */
    private ByteBuffer placeAt(long position, int length) throws IOException {
        if (writer == null || position < end || length <= 0) {
            return null;
        }
        long k = position / blockSize;
        long current = base / blockSize;
        if ((position + length - 1) / blockSize != k || k - current >= held.length) {
            return null;
        }
        int at = (int) (position - k * blockSize);
        return buffer(k).duplicate().position(at).limit(at + length).slice();
    }

    /** Writes out what is held and waits for every write; call once, after the last {@link #put}. */
    public void finish() throws IOException {
        while (!inFlight.isEmpty()) {
            idle.push(awaitOldest());
        }
        int n = (int) (end - base);
        ByteBuffer block = n > 0 ? current() : null;
        if (n > 0 && direct != null) {
            // The part that fills whole alignment units goes past the cache; the tail cannot.
            int whole = n - n % alignment;
            if (whole > 0) {
                writeBlock(block.duplicate().position(0).limit(whole), base);
            }
            if (whole < n) {
                out.writeAt(block.duplicate().position(whole).limit(n), base + whole);
            }
        } else if (n > 0) {
            out.writeAt(block.duplicate().position(0).limit(n), base);
        }
        base = end;
        close();
    }

    /** Whether blocks still go past the cache: none was refused (for tests). */
    boolean bypassing() {
        return direct != null;
    }

    /** Buffers made so far (for tests). */
    int buffersMade() {
        return made;
    }

    /** Whether every write submitted is done (for tests). */
    boolean writesDone() {
        return inFlight.stream().allMatch(w -> w.write().isDone());
    }

    /** Stops the writing thread (no more writes are made); the file is the caller's to drop. */
    @Override
    public void close() {
        if (writer != null) {
            writer.shutdownNow();
        }
    }

    /** Zeros the bytes of the held block in [from, to), flushing full blocks on the way. */
    private void zero(long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            if (at >= base + blockSize) {
                flushBlock();
                continue;
            }
            int n = (int) Math.min(to - at, base + blockSize - at);
            for (int i = (int) (at - base), stop = i + n; i < stop; i += ZEROS.length) {
                current().put(i, ZEROS, 0, Math.min(ZEROS.length, stop - i));
            }
            at += n;
        }
    }

    private void flushBlock() throws IOException {
        if (writer == null) {
            out.writeAt(current().duplicate().clear(), base);
            base += blockSize;
            return;
        }
        ByteBuffer buffer = current();
        ByteBuffer full = buffer.duplicate().clear();
        long at = base;
        held[(int) ((base / blockSize) % held.length)] = null;
        inFlight.add(new InFlight(writer.submit(() -> {
            writeBlock(full, at);
            return null;
        }), buffer));
        base += blockSize;
    }

    /** Writes one aligned block past the cache; if the file system refuses, through it from then on. */
    private void writeBlock(ByteBuffer b, long at) throws IOException {
        FileChannel d = direct;
        if (d != null) {
            try {
                long p = at;
                while (b.hasRemaining()) {
                    p += d.write(b, p);
                }
                out.wrotePastCache(p - at);
                return;
            } catch (IOException e) {
                // Refused (an alignment the file system wants larger, say): the same bytes through
                // the cache, where a real failure (a full disk) fails again and is reported.
                direct = null;
                b.position(0);
            }
        }
        out.writeAt(b, at);
    }
}
