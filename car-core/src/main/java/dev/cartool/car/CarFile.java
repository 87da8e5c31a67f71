package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.cartool.block.Block;
import dev.cartool.block.BlockVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Varint;
import dev.cartool.io.Preads;

/**
 * Random access over a CARv1 file by positional reads: the header on open, then sections by
 * offset. {@link #scan()} walks the sections reading only each length and CID, so an offset
 * index of a large file costs one pass over the section heads, not over the data.
 * Thread-safe: positional reads do not share a file position.
 */
public final class CarFile implements Closeable {
    /** CIDs longer than this (identity CIDs) make a section head read twice. */
    private static final int HEAD_READ = 512;
    /** What a head read out of order reads: the head and, for a small block, all of it. */
    private static final int SMALL_SECTION = 4096;

    /**
     * Small reads in file order (section heads and blocks of a CAR of tiny blocks) are served
     * from one larger read per thread: two system calls a block were most of the time of reading
     * millions of 64-byte blocks. A thread's window is filled only after a run of reads that
     * follow each other, so reads here and there (a gateway's) still read just what they need.
     */
    private static final int WINDOW = 256 << 10;
    /** Reads larger than this always go to the file (the window is for small sections). */
    private static final int WINDOW_LARGEST_READ = 16 << 10;
    /** Reads in file order, one after the other, before a thread's window is filled. */
    private static final int WINDOW_AFTER = 4;
    /**
     * A window that served fewer reads than this before the next was filled did not pay for its
     * 256 KiB read: the thread then waits for twice as long a run before the next, up to
     * {@link #WINDOW_AFTER_MOST}, and goes back to {@link #WINDOW_AFTER} after one that did.
     */
    private static final int WINDOW_PAID = 16;
    private static final int WINDOW_AFTER_MOST = 1 << 12;

    private final FileChannel channel;
    private final long fileSize;
    /**
     * A thread's windows, whichever file it reads: 256 KiB a run of reads in order it follows (at
     * most {@link #RUNS}), made when a run first fills one.
     */
    private static final ThreadLocal<Window> WINDOWS = ThreadLocal.withInitial(Window::new);
    /** Which file a thread's window holds (a token, so the window does not keep a closed file). */
    private final Object windowKey = new Object();
    private final CarReaderOptions options;
    private final CarHeader header;
    private final long dataStart;
    private final long size;
    private final CarV2Header v2;
    /** Sections whose data has been hashed and matched: not hashed again (see {@link CheckedSections}). */
    private final CheckedSections checked;
    /**
     * Heads of large sections lately read, by where they lie (made on first use): 64 downloads
     * of one image walk its leaves, and each head is read and parsed once instead of once a
     * client (a 4 KiB pread a leaf a client was a tenth of the gateway's CPU). The file is not
     * rewritten while open, as for {@link #checked}.
     *
     * <p>Slot {@code (offset >>> recentShift) % length}: the file is laid over the slots in order,
     * a slot per 128 KiB or more ({@link #recentBits}: 512 to 65,536 slots, which covers 8 GiB a
     * slot per 128 KiB). Sections 128 KiB apart never share a slot while the file is covered, so
     * an image's leaves all stay; a hash of the offset into 512 slots kept few of a 1 GiB image's
     * 4,096 leaves, and into 8,192 still left 2,462 of its 4,121 sections sharing a slot, each of
     * a pair read again at every pass.
     */
    private volatile SectionRef[] recent;
    /** log2 of {@link #recent}'s length. */
    private final int recentBits;
    /** log2 of the bytes of file a slot of {@link #recent} covers. */
    private final int recentShift;

    private CarFile(FileChannel channel, CarReaderOptions options) throws IOException {
        this.channel = channel;
        this.options = options;
        long fileSize = channel.size();
        this.fileSize = fileSize;
        this.recentBits = recentBits(fileSize);
        this.recentShift = recentShift(fileSize);
        long[] end = new long[1];
        CarHeader h = readV1Header(0, fileSize, end);
        CarV2Header v2 = null;
        long limit = fileSize;
        if (h.version() == 2) {
            // The pragma: a CARv2's fixed header, then its CARv1 payload at the data offset.
            if (end[0] + CarV2Header.LENGTH > fileSize) {
                throw new TruncatedCarException(end[0], "CARv2 header at offset " + n(end[0]) + ": data ends after "
                        + n(fileSize - end[0]) + " of " + CarV2Header.LENGTH + " bytes");
            }
            v2 = CarV2Header.decode(read(end[0], CarV2Header.LENGTH), end[0], fileSize);
            limit = v2.payloadEnd();
            h = readV1Header(v2.dataOffset(), limit, end);
            if (h.version() == 2) {
                throw new MalformedCarException(v2.dataOffset(), "the CARv2 payload at offset " + n(v2.dataOffset())
                        + " is itself a CARv2");
            }
        }
        this.header = SectionHead.checkVersion(h);
        this.v2 = v2;
        this.dataStart = end[0];
        this.size = limit;
        this.checked = new CheckedSections(limit);
    }

    /** The heads cache's size for a file of {@code fileSize} bytes: a slot per 128 KiB, 2^9 to 2^16. */
    static int recentBits(long fileSize) {
        return CheckedSections.bits(fileSize, 17, 1 << 9, 1 << 16);
    }

    /**
     * log2 of the bytes a slot of the heads cache covers in a file of {@code fileSize} bytes: 128
     * KiB, or more if the slots would not cover the file.
     */
    static int recentShift(long fileSize) {
        return CheckedSections.span(fileSize, recentBits(fileSize), 17);
    }

    /** The heads cache's slot for a section at {@code offset}. */
    static int recentSlot(long offset, int bits, int shift) {
        return (int) (offset >>> shift) & ((1 << bits) - 1);
    }

    /** Reads a CARv1 header (or a pragma) at {@code start}; {@code end[0]} gets where it ends. */
    private CarHeader readV1Header(long start, long limit, long[] end) throws IOException {
        byte[] head = read(start, (int) Math.min(limit - start, Varint.MAX_BYTES));
        if (head.length == 0) {
            throw new TruncatedCarException(start, start == 0 ? "empty file: no CAR header"
                    : "CARv2 payload at offset " + n(start) + " is empty: no CAR header");
        }
        int[] at = {0};
        long len = SectionHead.length(() -> at[0] < head.length ? head[at[0]++] & 0xff : -1, "header", start, true);
        int varintLen = at[0];
        SectionHead.checkHeader(len, options);
        if (start + varintLen + len > limit) {
            throw new TruncatedCarException(start, "header at offset " + n(start) + ": data ends after "
                    + n(limit - start - varintLen) + " of " + n(len) + " bytes");
        }
        end[0] = start + varintLen + len;
        return CarHeader.decode(read(start + varintLen, (int) len), start + varintLen);
    }

    public static CarFile open(Path path) throws IOException {
        return open(path, CarReaderOptions.DEFAULTS);
    }

    public static CarFile open(Path path, CarReaderOptions options) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new CarFile(ch, options);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public CarHeader header() {
        return header;
    }

    /** Offset of the first section. */
    public long dataStart() {
        return dataStart;
    }

    /** CARv2: the header after the pragma; null for a CARv1. */
    public CarV2Header v2() {
        return v2;
    }

    /** Where the CARv1 payload starts: 0, or a CARv2's data offset. Index offsets count from here. */
    public long payloadOffset() {
        return v2 == null ? 0 : v2.dataOffset();
    }

    /** The CARv1 payload's bytes (for a CARv1, the whole file), as a stream of positional reads. */
    public java.io.InputStream openPayload() {
        return new SortedIndex.ChannelStream(channel, payloadOffset(), size);
    }

    /** A CARv2's index, read in place; null for a CARv1 or a CARv2 without one. */
    public SortedIndex index() throws IOException {
        if (v2 == null || v2.indexOffset() == 0) {
            return null;
        }
        return SortedIndex.open(channel, v2.indexOffset(), channel.size());
    }

    /**
     * A CARv2's index multicodec (go-car's IndexSorted 0x0400 or MultihashIndexSorted 0x0401), the
     * varint at its offset; -1 for a CARv1 or a CARv2 without an index.
     */
    public long indexCodec() throws IOException {
        java.io.InputStream in = openIndex();
        return in == null ? -1 : SectionHead.length(in::read, "index", v2.indexOffset(), true);
    }

    /** A CARv2's index as stored, from its offset to the end of the file; null if it has none. */
    public java.io.InputStream openIndex() throws IOException {
        if (v2 == null || v2.indexOffset() == 0) {
            return null;
        }
        return new SortedIndex.ChannelStream(channel, v2.indexOffset(), channel.size());
    }

    /** Where the CARv1 data ends: the file's size, or the end of a CARv2's payload. */
    public long size() {
        return size;
    }

    /** A cursor over the section heads, from the first section to the end of the file. */
    public Scan scan() {
        return new Scan();
    }

    /**
     * Reads the section head at {@code offset}: its length and CID.
     *
     * @return null if {@code offset} is the end of the data
     */
    public SectionRef section(long offset) throws IOException {
        if (offset == size) {
            return null;
        }
        if (offset < dataStart || offset > size) {
            throw new IllegalArgumentException("offset " + offset + " is outside the data");
        }
        SectionRef[] seen = recent;
        int slot = recentSlot(offset, recentBits, recentShift);
        if (seen != null) {
            SectionRef hit = seen[slot];
            if (hit != null && hit.offset() == offset) {
                return hit;
            }
        }
        int headLength = (int) Math.min(size - offset, Varint.MAX_BYTES + HEAD_READ);
        // From the thread's window when it holds the head (millions of tiny sections: no copy).
        ByteBuffer w = windowed(offset, headLength);
        byte[] head;
        int base;
        if (w != null) {
            head = w.array();
            base = w.arrayOffset() + w.position();
        } else {
            // A page, not just the head: a small block (a gateway's small file) then comes from
            // this read too, one system call a block instead of two.
            // The window was just asked (and missed): straight to the file, never shorter than headLength.
            // Into the thread's own page, kept for the next such read: a fresh one each time
            // touched a new page of heap per head (verify of 1 GiB: 4,096 heads, 58 ms of the
            // main thread in page faults and zeroing).
            Window t = WINDOWS.get();
            if (t.head == null) {
                t.head = new byte[SMALL_SECTION];
            }
            t.headStart = -1;
            int want = (int) Math.min(size - offset, SMALL_SECTION);
            readFromFile(ByteBuffer.wrap(t.head, 0, want), offset);
            head = t.head;
            base = 0;
            t.headStart = offset;
            t.headLength = want;
        }
        int end = base + headLength;
        int[] at = {base};
        long len = SectionHead.length(() -> at[0] < end ? head[at[0]++] & 0xff : -1, "section", offset, true);
        int varintLen = at[0] - base;
        if (SectionHead.checkSection(offset, len, options) < 0) {
            return null;
        }
        if (offset + varintLen + len > size) {
            throw SectionHead.pastEnd(offset, varintLen, len, size);
        }
        int avail = (int) Math.min(len, headLength - varintLen);
        int from = base + varintLen;
        Cid cid;
        if (avail == len || canDecode(head, from, from + avail)) {
            cid = SectionHead.cid(head, from, from + avail, offset);
        } else {
            byte[] whole = read(offset + varintLen, (int) len); // a CID longer than the head read
            cid = SectionHead.cid(whole, 0, whole.length, offset);
        }
        SectionRef ref = new SectionRef(cid, offset, varintLen + len, (int) (len - cid.encodedLength()));
        if (ref.dataLength() >= CHECK_ONCE_FROM) {
            if (seen == null) {
                recent = seen = new SectionRef[1 << recentBits];
            }
            seen[slot] = ref; // racy by design: a record is safely published, a lost write is a miss
        }
        return ref;
    }

    /** Reads the block of a section; verified unless the options trust the input. */
    public Block read(SectionRef ref) throws IOException {
        int cidLen = ref.cid().encodedLength();
        byte[] section = read(ref.dataOffset() - cidLen, cidLen + ref.dataLength());
        Block block = Block.fromSection(ref.cid(), section, cidLen, ref.dataLength(), ref.offset(), ref.sectionLength());
        if (mustCheck(ref)) {
            BlockVerifier.verify(block);
            checked(ref);
        }
        return block;
    }

    /**
     * Whether the data of {@code ref} must be hashed when read: the options verify, and this file
     * has not already hashed and matched that section since it was opened. The bytes read again
     * are the bytes checked while the file is not rewritten in place (see {@link CheckedSections}).
     */
    boolean mustCheck(SectionRef ref) {
        return options.verifyHashes() && (ref.dataLength() < CHECK_ONCE_FROM || !checked.contains(ref.offset(), ref.dataLength()));
    }

    /** Records that the data of {@code ref} was hashed and matched its CID. */
    void checked(SectionRef ref) {
        if (ref.dataLength() >= CHECK_ONCE_FROM) {
            checked.add(ref.offset(), ref.dataLength());
        }
    }

    /**
     * Blocks smaller than this are hashed at every read and never recorded as checked: hashing
     * them costs what a look in the table does (a write to the table per block took {@code car
     * get} of 10 million 64-byte blocks from 6.2 to 7.4 s).
     */
    static final int CHECK_ONCE_FROM = 1024;

    /**
     * The data of {@code ref} as a region of this file when it needs no check (see
     * {@link #mustCheck}): to be sent as it lies, unread; null when it must be read and hashed.
     */
    public dev.cartool.block.FileRegions.Region checkedRegion(SectionRef ref) {
        return mustCheck(ref) ? null : new dev.cartool.block.FileRegions.Region(channel, ref.dataOffset(), ref.dataLength());
    }

    /** Reads a section's data (not its CID) into {@code into}, cleared first and flipped after. */
    public void readData(SectionRef ref, ByteBuffer into) throws IOException {
        into.clear().limit(ref.dataLength());
        long pos = ref.dataOffset();
        ByteBuffer w = windowed(pos, ref.dataLength());
        if (w != null) {
            into.put(w).flip();
            return;
        }
        if (!Preads.readFully(channel, into, pos)) {
            throw new TruncatedCarException(ref.offset(), "section at offset " + n(ref.offset())
                    + ": file ends inside its data");
        }
        into.flip();
    }

    /** Whether blocks read from this file are checked against their CIDs. */
    public boolean verifying() {
        return options.verifyHashes();
    }

    /** Reads the block of the section at {@code offset}. */
    public Block readBlock(long offset) throws IOException {
        SectionRef ref = section(offset);
        if (ref == null) {
            throw new IllegalArgumentException("no section at offset " + offset);
        }
        return read(ref);
    }

    private static boolean canDecode(byte[] b, int from, int to) {
        try {
            Cid.decode(b, from, to);
            return true;
        } catch (CidFormatException e) {
            return false;
        }
    }


    private byte[] read(long position, int length) throws IOException {
        ByteBuffer w = windowed(position, length);
        if (w != null) {
            byte[] b = new byte[length];
            w.get(b);
            return b;
        }
        return readFromFile(position, length);
    }

    /** A read that goes to the file, past the thread's window (which the caller has asked). */
    private byte[] readFromFile(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        readFromFile(buf, position);
        return buf.array();
    }

    /** Fills {@code into} from the file at {@code position}; a file that ends first is truncated. */
    private void readFromFile(ByteBuffer into, long position) throws IOException {
        int length = into.remaining();
        if (!Preads.readFully(channel, into, position)) {
            throw new TruncatedCarException(position, "file ends at " + n(position + into.position())
                    + " inside a read of " + n(length) + " bytes at offset " + n(position));
        }
    }

    /**
     * Runs of reads in file order a thread follows at once, each with a window of its own: a
     * server's clients walk a tree's files in order from as many places, their requests in turn on
     * one thread, and with one window every read went to the file.
     */
    private static final int RUNS = 4;

    /** One run of reads in file order: its window, and where its last read ended. */
    private static final class Run {
        ByteBuffer buf;
        long start = -1;
        int length;
        long lastEnd = -1;
        int streak;
        /** Reads the window has served since it was filled. */
        int uses;
        /** When the thread last read here (a count of its reads), to replace the run least used. */
        long used;

        boolean holds(long position, int length) {
            return start >= 0 && position >= start && position + length <= start + this.length;
        }

        /** Whether a read at {@code position} continues this run (a head read runs past its section). */
        boolean follows(long position) {
            return lastEnd >= 0 && position >= lastEnd - HEAD_READ - Varint.MAX_BYTES && position <= lastEnd + 4096;
        }

        void reset() {
            start = -1;
            lastEnd = -1;
            streak = 0;
            uses = 0;
        }
    }

    /** A thread's windows, one a run of reads it follows, and the page of its last head read. */
    private static final class Window {
        Object key;
        final Run[] runs = new Run[RUNS];
        /** The run of the last read: the one the next is likeliest to continue. */
        Run last;
        long reads;
        /**
         * The run in order that fills a window: doubled (up to {@link #WINDOW_AFTER_MOST}) each
         * time one is given up having served fewer than {@link #WINDOW_PAID} reads, back to
         * {@link #WINDOW_AFTER} when one has. Kept for the thread, not a run, so that more runs in
         * turn than it has windows for stop filling them.
         */
        int after = WINDOW_AFTER;
        /** Windows filled on this thread, and reads they served (for tests). */
        long fills;
        long served;
        /**
         * The last head read out of order, with what followed it: {@code headLength} bytes from
         * {@code headStart} (-1 when none), in a page the thread keeps. Only copied out of, never
         * handed on, so the next such read may reuse it.
         */
        byte[] head;
        long headStart = -1;
        int headLength;

        /** The run a read at {@code position} belongs to: one whose window holds it, or that it continues, or a new one. */
        Run runOf(long position, int length) {
            Run l = last;
            if (l != null && l.holds(position, length)) {
                return l;
            }
            for (Run r : runs) {
                if (r != null && r.holds(position, length)) {
                    return r;
                }
            }
            if (l != null && l.follows(position)) {
                return l;
            }
            Run oldest = null;
            for (int i = 0; i < runs.length; i++) {
                Run r = runs[i];
                if (r == null) {
                    r = runs[i] = new Run();
                    return r;
                }
                if (r.follows(position)) {
                    return r;
                }
                if (oldest == null || r.used < oldest.used) {
                    oldest = r;
                }
            }
            if (oldest.start >= 0) {
                judge(oldest);
            }
            oldest.reset(); // its window kept for the new run's first fill
            return oldest;
        }

        /** Forgets what its windows and page hold (another file, or this one closed); keeps the memory. */
        void forget() {
            key = null;
            for (Run r : runs) {
                if (r != null) {
                    r.reset();
                }
            }
            last = null;
            after = WINDOW_AFTER;
            headStart = -1;
        }

        /** A window given up: whether it paid for its read sets how long a run fills the next. */
        void judge(Run r) {
            after = r.uses < WINDOW_PAID ? Math.min(after * 2, WINDOW_AFTER_MOST) : WINDOW_AFTER;
        }
    }

    /**
     * The bytes {@code [position, position + length)} from one of this thread's windows, as a
     * buffer to read from, or null when the read should go to the file (large, out of order, or
     * at the end of the file, where a direct read reports the truncation).
     */
    private ByteBuffer windowed(long position, int length) throws IOException {
        if (length > WINDOW_LARGEST_READ) {
            return null;
        }
        Window w = WINDOWS.get();
        if (w.key != windowKey) {
            w.forget();
            w.key = windowKey;
        }
        Run r = w.runOf(position, length);
        w.last = r;
        r.used = ++w.reads;
        r.streak = r.follows(position) ? r.streak + 1 : 0;
        r.lastEnd = position + length;
        if (!r.holds(position, length)) {
            if (r.streak < w.after || position + length > fileSize) {
                if (w.headStart >= 0 && position >= w.headStart && position + length <= w.headStart + w.headLength) {
                    return ByteBuffer.wrap(w.head, (int) (position - w.headStart), length).slice();
                }
                return null;
            }
            if (r.buf == null) {
                r.buf = ByteBuffer.allocate(WINDOW);
            }
            r.buf.clear().limit((int) Math.min(WINDOW, fileSize - position));
            if (r.start >= 0) {
                w.judge(r);
            }
            r.uses = 0;
            w.fills++;
            r.start = -1;
            Preads.readFully(channel, r.buf, position); // short at the end of the file
            r.start = position;
            r.length = r.buf.position();
            if (position + length > r.start + r.length) {
                return null;
            }
        }
        r.uses++;
        w.served++;
        int from = (int) (position - r.start);
        return ByteBuffer.wrap(r.buf.array(), from, length).slice();
    }

    /** How many windows this thread has filled, from any file (for tests). */
    static long windowFills() {
        return WINDOWS.get().fills;
    }

    /** How many reads this thread's windows have served, from any file (for tests). */
    static long windowReads() {
        return WINDOWS.get().served;
    }

    @Override
    public void close() throws IOException {
        Window w = WINDOWS.get();
        if (w.key == windowKey) {
            w.forget();
        }
        channel.close();
    }

    /** A cursor over section heads in file order. */
    public final class Scan {
        private long next = dataStart;
        private boolean done;

        private Scan() {
        }

        /** The next section head, or null at the end. */
        public SectionRef next() throws IOException {
            if (done) {
                return null;
            }
            SectionRef ref = section(next);
            if (ref == null) {
                done = true;
                return null;
            }
            next = ref.end();
            return ref;
        }
    }
}
