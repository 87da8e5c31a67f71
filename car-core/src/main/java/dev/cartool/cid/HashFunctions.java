package dev.cartool.cid;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The hash functions behind {@link HashFunction#forCode}: JDK digests where the JDK has them,
 * Bouncy Castle for the rest.
 */
final class HashFunctions {
    static final Map<Long, HashFunction> BY_CODE = Map.ofEntries(
            entry(new Identity()),
            entry(new Jdk(Multicodec.SHA1, "SHA-1", 20)),
            entry(new Jdk(Multicodec.SHA2_256, "SHA-256", 32)),
            entry(new Jdk(Multicodec.SHA2_512, "SHA-512", 64)),
            entry(new Jdk(Multicodec.SHA3_224, "SHA3-224", 28)),
            entry(new Jdk(Multicodec.SHA3_256, "SHA3-256", 32)),
            entry(new Jdk(Multicodec.SHA3_384, "SHA3-384", 48)),
            entry(new Jdk(Multicodec.SHA3_512, "SHA3-512", 64)),
            entry(new Bc(Multicodec.KECCAK_256, 32, () -> new KeccakDigest(256))),
            entry(new Bc(Multicodec.BLAKE2B_256, 32, () -> new Blake2bDigest(256))),
            entry(new Bc(Multicodec.BLAKE2B_512, 64, () -> new Blake2bDigest(512))),
            entry(new Bc(Multicodec.BLAKE2S_256, 32, () -> new Blake2sDigest(256))),
            entry(new Bc(Multicodec.BLAKE3, 32, () -> new Blake3Digest(256))));

    /**
     * {@link #BY_CODE}'s answers for the one-byte codes (SHA-256 among them), made once: a lookup
     * for every block boxed the code, probed the map and made an Optional, 0.44 s of CPU in a
     * 10-million-block extract (async-profiler).
     */
    @SuppressWarnings("unchecked")
    static final java.util.Optional<HashFunction>[] SMALL = new java.util.Optional[0x20];

    static {
        for (int c = 0; c < SMALL.length; c++) {
            SMALL[c] = java.util.Optional.ofNullable(BY_CODE.get((long) c));
        }
    }

    private HashFunctions() {
    }

    private static Map.Entry<Long, HashFunction> entry(HashFunction f) {
        return Map.entry(f.code(), f);
    }

    /** The identity "hash": the digest is the data itself. */
    static final class Identity implements HashFunction {
        @Override
        public long code() {
            return Multicodec.IDENTITY;
        }

        @Override
        public int digestLength() {
            return -1;
        }

        @Override
        public byte[] digest(byte[] data, int off, int len) {
            return Arrays.copyOfRange(data, off, off + len);
        }
    }

    /** A JDK MessageDigest, one instance per thread (MessageDigest is not thread-safe). */
    static final class Jdk implements HashFunction {
        private final long code;
        private final int length;
        private final ThreadLocal<java.security.MessageDigest> digests;

        Jdk(long code, String algorithm, int length) {
            this.code = code;
            this.length = length;
            this.digests = ThreadLocal.withInitial(() -> {
                try {
                    return JdkDigests.open(algorithm);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException("the JDK lacks " + algorithm, e);
                }
            });
        }

        @Override
        public long code() {
            return code;
        }

        @Override
        public int digestLength() {
            return length;
        }

        @Override
        public byte[] digest(byte[] data, int off, int len) {
            java.security.MessageDigest md = digests.get();
            md.reset();
            md.update(data, off, len);
            return md.digest();
        }

        @Override
        public byte[] digest(java.nio.ByteBuffer data) {
            java.security.MessageDigest md = digests.get();
            md.reset();
            md.update(data.duplicate());
            return md.digest();
        }
    }

    /** A Bouncy Castle lightweight digest, one instance per thread. */
    static final class Bc implements HashFunction {
        private final long code;
        private final int length;
        private final ThreadLocal<Digest> digests;

        Bc(long code, int length, Supplier<Digest> factory) {
            this.code = code;
            this.length = length;
            this.digests = ThreadLocal.withInitial(factory);
        }

        @Override
        public long code() {
            return code;
        }

        @Override
        public int digestLength() {
            return length;
        }

        @Override
        public byte[] digest(byte[] data, int off, int len) {
            Digest d = digests.get();
            d.reset();
            d.update(data, off, len);
            byte[] out = new byte[d.getDigestSize()];
            d.doFinal(out, 0);
            return out;
        }
    }
}
