package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.LinkBytes;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;

/**
 * The CIDs of the blocks {@link Completeness} holds open, with the CIDs of their links: read
 * back only to name what is missing. Held as byte arrays while its budget lasts (a share of
 * {@link TableMemory}'s), past it appended to an unlinked temp file ({@link AppendFile}). A
 * record is its byte length, then each CID's length and bytes, the block's first. A record held
 * is freed when its block closes; one in the file is left there.
 */
final class LinkRecords implements Closeable {
    /** A reference's flag for a record in the file; without it, a held record's index. */
    static final long IN_FILE = 1L << 39;

    private final TableMemory.Budget budget;
    private final Path dir;
    private final List<byte[]> held = new ArrayList<>();
    private int[] free = new int[16];
    private int frees;
    private long heldBytes;
    private AppendFile file;

    /** Records held in memory while {@code budget} lasts, the rest in a file in {@link TableMemory}'s directory. */
    LinkRecords(TableMemory.Budget budget) {
        this.budget = budget;
        this.dir = TableMemory.dir();
    }

    /** Keeps the CIDs of {@code cid} and {@code links}; returns a reference under 2^40. */
    long add(Cid cid, LinkBytes links) {
        byte[] own = cid.toBytes();
        int size = 4 + 4 + own.length;
        for (int i = 0; i < links.count(); i++) {
            size += 4 + links.length(i);
        }
        ByteBuffer r = ByteBuffer.allocate(size).putInt(size);
        r.putInt(own.length).put(own);
        byte[] src = links.source();
        for (int i = 0; i < links.count(); i++) {
            r.putInt(links.length(i)).put(src, links.at(i), links.length(i));
        }
        byte[] rec = r.array();
        if (budget.take(size)) {
            heldBytes += size;
            if (frees > 0) {
                int id = free[--frees];
                held.set(id, rec);
                return id;
            }
            held.add(rec);
            return held.size() - 1;
        }
        try {
            if (file == null) {
                file = new AppendFile(dir, "car-links-", "table file", 0);
            }
            if (file.end() >= IN_FILE) {
                throw new IOException("more than 512 GiB of links");
            }
            return IN_FILE | file.append(ByteBuffer.wrap(rec));
        } catch (IOException e) {
            throw Slots.tableFileFailed(dir, e);
        }
    }

    /** Bytes of records held in memory (for tests). */
    long heldBytes() {
        return heldBytes;
    }

    /** Frees a record held in memory (its block closed). */
    void free(long ref) {
        if ((ref & IN_FILE) == 0) {
            int id = (int) ref;
            int size = held.get(id).length;
            heldBytes -= size;
            budget.give(size);
            held.set(id, null);
            if (frees == free.length) {
                free = java.util.Arrays.copyOf(free, frees * 2);
            }
            free[frees++] = id;
        }
    }

    /** The CIDs of a record: the block's first, then its links'. */
    List<Cid> read(long ref) throws IOException {
        byte[] rec;
        if ((ref & IN_FILE) == 0) {
            rec = held.get((int) ref);
        } else {
            long at = ref & ~IN_FILE;
            ByteBuffer len = ByteBuffer.allocate(4);
            file.read(len, at);
            rec = new byte[len.getInt(0)];
            file.read(ByteBuffer.wrap(rec), at);
        }
        List<Cid> cids = new ArrayList<>();
        ByteBuffer r = ByteBuffer.wrap(rec, 4, rec.length - 4);
        try {
            while (r.hasRemaining()) {
                int n = r.getInt();
                cids.add(Cid.decode(java.util.Arrays.copyOfRange(rec, r.position(), r.position() + n)));
                r.position(r.position() + n);
            }
        } catch (CidFormatException e) {
            throw new IllegalStateException("a link record does not read back", e); // written from CIDs
        }
        return cids;
    }

    @Override
    public void close() throws IOException {
        budget.give(heldBytes);
        heldBytes = 0;
        held.clear();
        if (file != null) {
            file.close();
        }
    }
}
