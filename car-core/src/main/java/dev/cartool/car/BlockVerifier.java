package dev.cartool.car;

import dev.cartool.cid.Cid;
import dev.cartool.cid.HashFunction;
import dev.cartool.cid.Multihash;

/** Checks a block's bytes against its CID. Stateless and thread-safe. */
public final class BlockVerifier {
    private BlockVerifier() {
    }

    /**
     * @throws HashMismatchException if the bytes hash to another digest
     * @throws UnverifiableBlockException if the hash function is unknown
     */
    public static void verify(Block block) throws BlockIntegrityException {
        Cid cid = block.cid();
        Multihash mh = cid.multihash();
        HashFunction f = mh.function()
                .orElseThrow(() -> new UnverifiableBlockException(block.offset(), cid));
        byte[] computed = f.digest(block.array(), block.arrayOffset(), block.length());
        if (!mh.matchesDigest(computed)) {
            byte[] digest = computed.length > mh.digestLength() && !mh.isIdentity()
                    ? java.util.Arrays.copyOf(computed, mh.digestLength()) : computed;
            Multihash actualMh = Multihash.of(mh.code(), digest);
            Cid actual = cid.version() == 0 && actualMh.digestLength() == 32
                    ? Cid.v0(actualMh) : Cid.v1(cid.codec(), actualMh);
            throw new HashMismatchException(block.offset(), cid, actual);
        }
    }
}
