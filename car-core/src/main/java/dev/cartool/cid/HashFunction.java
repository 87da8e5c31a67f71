package dev.cartool.cid;

import java.util.Optional;

/**
 * A hash function behind a multihash code. Instances are stateless singletons and safe to use
 * from many threads at once: each call works on its own digest state.
 */
public interface HashFunction {
    /** The multihash code. */
    long code();

    /** The table name, e.g. {@code sha2-256}. */
    default String name() {
        return Multicodec.name(code());
    }

    /** The natural digest length in bytes, or -1 when it depends on the input (identity). */
    int digestLength();

    /** Hashes {@code data[off, off+len)}. */
    byte[] digest(byte[] data, int off, int len);

    /** Hashes the buffer's remaining bytes (a direct buffer is hashed without a full copy where possible). */
    default byte[] digest(java.nio.ByteBuffer data) {
        java.nio.ByteBuffer b = data.duplicate();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return digest(copy, 0, copy.length);
    }

    /** SHA-256 (sha2-256), which this toolkit always has: what CIDs it makes use, and its own keys. */
    static HashFunction sha256() {
        return forCode(Multicodec.SHA2_256).orElseThrow(); // the one-byte codes' table, not the map
    }

    /** The function for a multihash code, if this toolkit has one. */
    static Optional<HashFunction> forCode(long code) {
        if (code >= 0 && code < HashFunctions.SMALL.length) {
            return HashFunctions.SMALL[(int) code];
        }
        return Optional.ofNullable(HashFunctions.BY_CODE.get(code));
    }
}
