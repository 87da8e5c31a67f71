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

    /**
     * A JDK MessageDigest, one instance per thread (MessageDigest is not thread-safe).
     *
     * <p>The JDK's digests hash arrays only. Given a direct buffer, {@code MessageDigest} copies it
     * through a 4 KiB array in a loop of its own, which C2 compiled with the whole digest inlined
     * into it, twice (on-stack and whole): 89 ms of C2's time in a 1 GiB extract, for a loop
     * whose every turn hashes 4 KiB. A direct buffer is copied here 64 KiB at a time instead, a
     * loop too short to reach C2 (16,384 turns a GiB) and cheap where it runs.
     */
    static final class Jdk implements HashFunction {
        /** A direct buffer's bytes are hashed from an array this long. */
        static final int PIECE = 64 << 10;
        private final long code;
        private final int length;
        private final ThreadLocal<Hasher> hashers;

        Jdk(long code, String algorithm, int length) {
            this.code = code;
            this.length = length;
            this.hashers = ThreadLocal.withInitial(() -> {
                try {
                    return new Hasher(JdkDigests.open(algorithm));
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
            java.security.MessageDigest md = hashers.get().md;
            md.reset();
            md.update(data, off, len);
            return md.digest();
        }

        @Override
        public byte[] digest(java.nio.ByteBuffer data) {
            Hasher h = hashers.get();
            java.security.MessageDigest md = h.md;
            md.reset();
            if (data.hasArray()) {
                md.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
                return md.digest();
            }
            byte[] piece = h.piece();
            for (int at = data.position(), end = data.limit(); at < end; ) {
                int n = Math.min(piece.length, end - at);
                data.get(at, piece, 0, n);
                md.update(piece, 0, n);
                at += n;
            }
            return md.digest();
        }

        /** A thread's digest, and the array it hashes a direct buffer's bytes from. */
        private static final class Hasher {
            final java.security.MessageDigest md;
            private byte[] piece;

            Hasher(java.security.MessageDigest md) {
                this.md = md;
            }

            byte[] piece() {
                if (piece == null) {
                    piece = new byte[PIECE];
                }
                return piece;
            }
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
