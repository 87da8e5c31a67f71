package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;

/**
 * Blocks set aside in an unlinked temp file, found again by multihash in 10-15 bytes of memory
 * each: a table from a keyed fingerprint to the entry's place, whose candidates are checked
 * against the CID written with the block (so a shared fingerprint is never a wrong block).
 *
 * <p>An entry is the block's length and its CID's (4 bytes each), the CID, the block. Entries are
 * gathered into 64 KiB writes, and read back through two windows: a window read on from where it
 * ended takes the next 64 KiB (blocks asked for in the order they were set aside, as a CAR written
 * leaves first is read in DFS order: tiny blocks cost a system call per window, not two per block
 * each way), a read elsewhere a page, in the window used less lately. A CAR written leaves first
 * puts each parent after its leaves, and a DFS walk reads the parent before them, so it goes back
 * and forth: with one window each parent's pages cost the leaves' 64 KiB, a fifth of it used.
 */
final class BlockSpool implements Closeable {
    private static final int HEAD = 8;
    private static final int BUFFER = AppendFile.BUFFER;
    private static final int PAGE = 4096;

    /** Entries start past a first byte, as the table's offsets are positive. */
    private final AppendFile file;
    private final Fingerprints fingerprints;
    private final Fingerprints.OffsetTable places = new Fingerprints.OffsetTable();
    /** Bytes of the file read last, window {@code i} from {@code windowAt[i]}. */
    private final ByteBuffer[] windows = {ByteBuffer.allocate(BUFFER).limit(0), ByteBuffer.allocate(BUFFER).limit(0)};
    private final long[] windowAt = {-1, -1};
    /** The window to refill for a read elsewhere: the one not used last. */
    private int older;
    private long blockBytes;
    /** The fingerprints {@link #touch} reads ahead for, and what it read (kept so the reads are made). */
    private long[] ahead = new long[0];
    private long touched;

    /**
     * Creates the spool in {@code dir}, unlinked at once: nothing is left behind, even on a kill.
     * Blocks are found by {@code fingerprints}, the owner's, so a lookup that misses the owner's
     * other tables too computes one fingerprint, not one per table.
     */
    BlockSpool(Path dir, Fingerprints fingerprints) throws IOException {
        this.fingerprints = fingerprints;
        file = new AppendFile(dir, "car-spool-", "spool file", 1);
    }

    /** Bytes of blocks set aside so far (their data, not the entries' heads). */
    long blockBytes() {
        return blockBytes;
    }

    /**
     * Sets {@code b} aside. A block set aside twice (a CAR that repeats it far apart) takes two
     * entries, of which lookups find the first: cheaper than looking for it before every add.
     */
    void add(Block b) throws IOException {
        byte[] cid = b.cid().toBytes();
        ByteBuffer head = ByteBuffer.allocate(HEAD + cid.length).putInt(b.length()).putInt(cid.length).put(cid).flip();
        long at = file.append(head, b.dataBuffer());
        places.add(fingerprints.of(b.cid().multihash()), at);
        blockBytes += b.length();
    }

    /**
     * Reads where the lookups of {@code links} will start in the spool's table, one after
     * another without waiting, so that their cache misses overlap: a file's leaves are asked
     * for one at a time, each a miss into a table of every block spooled.
     */
    void touch(dev.cartool.block.LinkBytes links) {
        int n = links.count();
        if (ahead.length < n) {
            ahead = new long[n];
        }
        byte[] src = links.source();
        int k = 0;
        for (int i = 0; i < n; i++) {
            long fp = fingerprints.ofCid(src, links.at(i), links.at(i) + links.length(i));
            if (fp != 0) { // not an identity CID, whose block is in it
                ahead[k++] = fp;
            }
        }
        long t = 0;
        for (int i = 0; i < k; i++) { // a few instructions a miss: many in flight at once
            t += places.touch(ahead[i]);
        }
        touched = t;
    }

    /**
     * The block of {@code mh} with the CID it was set aside under, or null if none was.
     *
     * @param fp {@code mh}'s fingerprint, from the fingerprints this spool was made with
     */
    Block get(Multihash mh, long fp) throws IOException {
        if (places.size() == 0) {
            return null;
        }
        Entry[] found = {null};
        places.find(fp, at -> {
            Entry e = entry(at);
            found[0] = e.cid.multihash().equals(mh) ? e : null;
            return found[0] != null;
        });
        if (found[0] == null) {
            return null;
        }
        Entry e = found[0];
        // Verified when it arrived; the spool is an unlinked file only this process holds.
        return Block.of(e.cid, read(e.dataAt, e.length));
    }

    /** An entry's head: its block's CID, length and where the block starts. */
    private record Entry(Cid cid, int length, long dataAt) {
    }

    private Entry entry(long at) throws IOException {
        ByteBuffer head = ByteBuffer.wrap(read(at, HEAD));
        int cidLength = head.getInt(4);
        return new Entry(Cid.decode(read(at + HEAD, cidLength)), head.getInt(0), at + HEAD + cidLength);
    }

    /**
     * {@code length} bytes of the spool from {@code at}: from the pending writes, or through the
     * window (what it holds of them, then a refill), or, for what is left past a window's length,
     * straight from the file.
     */
    private byte[] read(long at, int length) throws IOException {
        byte[] dst = new byte[length];
        long written = file.written();
        if (at >= written) { // an entry is wholly pending or wholly written
            file.read(ByteBuffer.wrap(dst), at);
            return dst;
        }
        int done = 0;
        while (done < length) {
            long p = at + done;
            int w = holding(p);
            if (w >= 0) {
                ByteBuffer window = windows[w];
                int n = (int) Math.min(length - done, windowAt[w] + window.limit() - p);
                window.get((int) (p - windowAt[w]), dst, done, n);
                done += n;
                older = 1 - w;
            } else if (length - done > BUFFER) {
                file.read(ByteBuffer.wrap(dst, done, length - done), p);
                done = length;
            } else {
                // Reading on from where a window ended: that window, whole (blocks asked for in
                // the order they were spooled); elsewhere only a page or what is wanted, in the
                // other window, as a traversal in another order would read 64 KiB a small block.
                int size = BUFFER;
                if (p == windowAt[0] + windows[0].limit()) {
                    w = 0;
                } else if (p == windowAt[1] + windows[1].limit()) {
                    w = 1;
                } else {
                    w = older;
                    size = Math.max(length - done, PAGE);
                }
                ByteBuffer window = windows[w].clear().limit((int) Math.min(size, written - p));
                file.read(window, p);
                window.flip();
                windowAt[w] = p;
            }
        }
        return dst;
    }

    /** The window holding the spool's byte {@code p}, or -1. */
    private int holding(long p) {
        for (int w = 0; w < 2; w++) {
            if (p >= windowAt[w] && p < windowAt[w] + windows[w].limit()) {
                return w;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            places.close();
        }
    }
}
