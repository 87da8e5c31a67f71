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
     * A digest fed a piece at a time, one state per thread (neither the JDK's nor Bouncy
     * Castle's digests are thread-safe), and both hash arrays only.
     *
     * <p>A direct buffer is copied into the thread's 64 KiB array and hashed from there. Given one,
     * the JDK's {@code MessageDigest} copies it through a 4 KiB array in a loop of its own, which
     * C2 compiled with the whole digest inlined into it, twice (on-stack and whole): 89 ms of C2's
     * time in a 1 GiB extract, for a loop whose every turn hashes 4 KiB. This loop is too short to
     * reach C2 (16,384 turns a GiB) and cheap where it runs; and no block is copied whole.
     */
    abstract static class Incremental implements HashFunction {
        /** A direct buffer's bytes are hashed from an array this long. */
        static final int PIECE = 64 << 10;
        private final long code;
        private final int length;
        private final ThreadLocal<State> states = new ThreadLocal<>() {
            @Override
            protected State initialValue() {
                return newState();
            }
        };

        Incremental(long code, int length) {
            this.code = code;
            this.length = length;
        }

        /** A new digest state, for one thread. */
        abstract State newState();

        @Override
        public final long code() {
            return code;
        }

        @Override
        public final int digestLength() {
            return length;
        }

        @Override
        public final byte[] digest(byte[] data, int off, int len) {
            State s = states.get();
            s.reset();
            s.update(data, off, len);
            return s.finish();
        }

        @Override
        public final byte[] digest(java.nio.ByteBuffer data) {
            State s = states.get();
            s.reset();
            if (data.hasArray()) {
                s.update(data.array(), data.arrayOffset() + data.position(), data.remaining());
                return s.finish();
            }
            byte[] piece = s.piece();
            for (int at = data.position(), end = data.limit(); at < end; ) {
                int n = Math.min(piece.length, end - at);
                data.get(at, piece, 0, n);
                s.update(piece, 0, n);
                at += n;
            }
            return s.finish();
        }

        /** A thread's digest, and the array it hashes a direct buffer's bytes from. */
        abstract static class State {
            private byte[] piece;

            abstract void reset();

            abstract void update(byte[] data, int off, int len);

            abstract byte[] finish();

            final byte[] piece() {
                if (piece == null) {
                    piece = new byte[PIECE];
                }
                return piece;
            }
        }
    }

    /** A JDK MessageDigest. */
    static final class Jdk extends Incremental {
        private final String algorithm;

        Jdk(long code, String algorithm, int length) {
            super(code, length);
            this.algorithm = algorithm;
        }

        @Override
        State newState() {
            java.security.MessageDigest md;
            try {
                md = JdkDigests.open(algorithm);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm, e);
            }
            return new State() {
                @Override
                void reset() {
                    md.reset();
                }

                @Override
                void update(byte[] data, int off, int len) {
                    md.update(data, off, len);
                }

                @Override
                byte[] finish() {
                    return md.digest();
                }
            };
        }
    }

    /** A Bouncy Castle lightweight digest. */
    static final class Bc extends Incremental {
        private final Supplier<Digest> factory;

        Bc(long code, int length, Supplier<Digest> factory) {
            super(code, length);
            this.factory = factory;
        }

        @Override
        State newState() {
            Digest d = factory.get();
            return new State() {
                @Override
                void reset() {
                    d.reset();
                }

                @Override
                void update(byte[] data, int off, int len) {
                    d.update(data, off, len);
                }

                @Override
                byte[] finish() {
                    byte[] out = new byte[d.getDigestSize()];
                    d.doFinal(out, 0);
                    return out;
                }
            };
        }
    }
}
