package dev.cartool.car;

import java.io.Closeable;

import dev.cartool.cid.Cid;

/**
 * The CIDs a walk has met, in bounded memory (each under a 64-bit key of the caller's, 0 unless
 * given: the selector a visit was made with): each is kept as two independently keyed 64-bit
 * fingerprints of its version, codec, multihash and key, in a {@link Fingerprints.PairTable} that
 * spills to temp files past {@link TableMemory}'s limit. Two CIDs are taken for one only when
 * both fingerprints agree (about n^2 / 2^128 for n CIDs), where one fingerprint (n^2 / 2^64: 2 in
 * 100,000 at 20 million CIDs) would be too likely to drop a block from an export. About 22 bytes
 * a CID in memory. Not thread-safe.
 */
final class CidSet implements Closeable {
    private final Fingerprints first = new Fingerprints();
    private final Fingerprints second = new Fingerprints();
    private final Fingerprints.PairTable table;

    /** A set that may hold one table's worth of memory. */
    CidSet() {
        this(TableMemory.Budget.ofTable());
    }

    /** A set whose memory comes from {@code budget} (which others may share). */
    CidSet(TableMemory.Budget budget) {
        table = new Fingerprints.PairTable(budget);
    }

    /** Adds {@code cid}; whether it was not there. */
    boolean add(Cid cid) {
        return add(cid, 0);
    }

    /**
     * Adds {@code cid} under {@code key} (a visit's selector: the same CID under another key is
     * another entry); whether it was not there.
     */
    boolean add(Cid cid, long key) {
        return table.addIfAbsent(firstKey(cid, key), secondKey(cid, key));
    }

    boolean contains(Cid cid) {
        return contains(cid, 0);
    }

    boolean contains(Cid cid, long key) {
        return table.hasPair(firstKey(cid, key), secondKey(cid, key));
    }

    private long firstKey(Cid cid, long key) {
        return nonZero(first.of(cid.multihash()) ^ kind(cid) ^ key);
    }

    private long secondKey(Cid cid, long key) {
        return nonZero(second.of(cid.multihash()) ^ Long.rotateLeft(kind(cid), 29)
                ^ Long.rotateLeft(key, 31) * 0xC2B2AE3D27D4EB4FL);
    }

    private static long kind(Cid cid) {
        return (cid.version() * 0x100000001B3L + cid.codec()) * 0x9E3779B97F4A7C15L;
    }

    long size() {
        return table.size();
    }

    /** Bytes held in memory (for tests). */
    long memory() {
        return table.memory();
    }

    private static long nonZero(long fp) {
        return fp == 0 ? 2 : fp; // 0 marks an empty slot
    }

    @Override
    public void close() {
        table.close();
    }
}
