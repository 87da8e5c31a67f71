package dev.cartool.car;

import java.io.Closeable;

import dev.cartool.cid.Cid;

/**
 * The CIDs a walk has met, in bounded memory: each is kept as two independently keyed 64-bit
 * fingerprints of its version, codec and multihash, in a {@link Fingerprints.PairTable} that
 * spills to temp files past {@link TableMemory}'s limit. Two CIDs are taken for one only when
 * both fingerprints agree (about n^2 / 2^128 for n CIDs), where one fingerprint (n^2 / 2^64: 2 in
 * 100,000 at 20 million CIDs) would be too likely to drop a block from an export. About 22 bytes
 * a CID in memory. Not thread-safe.
 */
final class CidSet implements Closeable {
    private final Fingerprints first = new Fingerprints();
    private final Fingerprints second = new Fingerprints();
    private final Fingerprints.PairTable table = new Fingerprints.PairTable();

    /** Adds {@code cid}; whether it was not there. */
    boolean add(Cid cid) {
        long a = firstKey(cid);
        long b = secondKey(cid);
        if (table.hasPair(a, b)) {
            return false;
        }
        table.add(a, b);
        return true;
    }

    boolean contains(Cid cid) {
        return table.hasPair(firstKey(cid), secondKey(cid));
    }

    private long firstKey(Cid cid) {
        return nonZero(first.of(cid.multihash()) ^ kind(cid));
    }

    private long secondKey(Cid cid) {
        return nonZero(second.of(cid.multihash()) ^ Long.rotateLeft(kind(cid), 29));
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
