package dev.cartool.block;

import dev.cartool.cid.Cid;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multihash;
import dev.cartool.io.Text;

/** Checks a block's bytes against its CID. Stateless and thread-safe. */
public final class BlockVerifier {
    private static volatile boolean allowTruncatedDigests;

    private BlockVerifier() {
    }

    /**
     * Process-wide: whether a multihash whose digest is shorter than its function's output (a
     * truncated digest, down to zero bytes) counts as verified when its prefix matches. Off by
     * default: a 0-byte sha2-256 "digest" matches any data.
     */
    public static void allowTruncatedDigests(boolean allow) {
        allowTruncatedDigests = allow;
    }

    /**
     * @throws HashMismatchException if the bytes hash to another digest
     * @throws UnverifiableBlockException if the hash function is unknown
     */
    public static void verify(Block block) throws BlockIntegrityException {
        verify(block.cid(), block.offset(), block.dataBuffer());
    }

    /**
     * Checks {@code data} (its remaining bytes; the buffer's position is not moved) against
     * {@code cid}; {@code offset} is the section's, for messages.
     */
    public static void verify(Cid cid, long offset, java.nio.ByteBuffer data) throws BlockIntegrityException {
        Multihash mh = cid.multihash();
        java.util.Optional<HashFunction> known = mh.function(); // no lambda: this runs for every block
        if (known.isEmpty()) {
            throw new UnverifiableBlockException(offset, cid);
        }
        HashFunction f = known.get();
        if (!mh.isIdentity() && mh.digestLength() < f.digestLength() && !allowTruncatedDigests) {
            throw new UnverifiableBlockException(offset, cid, "block " + cid + " at offset " + Text.n(offset)
                    + ": its " + mh.name() + " digest is truncated to " + mh.digestLength() + " of "
                    + f.digestLength() + " bytes, which proves little; refused unless truncated digests are allowed");
        }
        byte[] computed = f.digest(data);
        if (!mh.matchesDigest(computed)) {
            byte[] digest = computed.length > mh.digestLength() && !mh.isIdentity()
                    ? java.util.Arrays.copyOf(computed, mh.digestLength()) : computed;
            Multihash actualMh = Multihash.of(mh.code(), digest);
            Cid actual = cid.version() == 0 && actualMh.digestLength() == 32
                    ? Cid.v0(actualMh) : Cid.v1(cid.codec(), actualMh);
            throw new HashMismatchException(offset, cid, actual);
        }
    }
}
