package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Our digests against @noble/hashes' (testdata/multihash-digests.json, made by testdata/regen). */
class HashFunctionTest {
    @Test
    void everyFunctionMatchesNobleHashes() throws CidFormatException {
        Set<String> names = new HashSet<>();
        for (JsonNode row : Fixtures.json("multihash-digests.json").get("digests")) {
            String name = row.get("hash").asText();
            byte[] input = row.get("input").asText().getBytes(StandardCharsets.UTF_8);
            HashFunction f = HashFunction.forCode(Multicodec.code(name)).orElseThrow();
            assertEquals(name, f.name());
            String actual = HexFormat.of().formatHex(f.digest(input, 0, input.length));
            assertEquals(row.get("digest").asText(), actual, name + " of '" + row.get("input").asText() + "'");
            assertEquals(f.digestLength() * 2, actual.length());
            names.add(name);
        }
        assertEquals(Set.of("sha1", "sha2-256", "sha2-512", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
                "keccak-256", "blake2b-256", "blake2b-512", "blake2s-256", "blake3"), names);
    }

    @Test
    void digestsOfASliceIgnoreTheRestOfTheArray() {
        byte[] data = "xxabcxx".getBytes(StandardCharsets.US_ASCII);
        HashFunction sha = HashFunction.sha256();
        assertEquals(Multicodec.SHA2_256, sha.code());
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", // FIPS 180-2's "abc"
                HexFormat.of().formatHex(sha.digest(abc, 0, 3)));
        assertEquals(HexFormat.of().formatHex(sha.digest(abc, 0, 3)), HexFormat.of().formatHex(sha.digest(data, 2, 3)));
    }

    @Test
    void identityAndUnknownCodes() {
        assertEquals("abc", new String(HashFunction.forCode(0).orElseThrow().digest(
                "abc".getBytes(StandardCharsets.US_ASCII), 0, 3), StandardCharsets.US_ASCII));
        assertTrue(HashFunction.forCode(0x99).isEmpty());
        assertTrue(HashFunction.forCode(Multicodec.SHA2_256_TRUNC254_PADDED).isEmpty());
    }

    /** The one-byte codes are answered from a table made once: the same answers as the map. */
    @Test
    void everyCodeIsAnsweredAsTheMapAnswers() {
        for (long code = -1; code < 0x10000; code++) {
            assertEquals(java.util.Optional.ofNullable(HashFunctions.BY_CODE.get(code)), HashFunction.forCode(code),
                    "code " + code);
        }
        assertEquals(0x1e, HashFunction.forCode(0x1e).orElseThrow().code()); // blake3, the last small one
        assertTrue(HashFunction.forCode(0x1f).isEmpty());
        assertTrue(HashFunction.forCode(Long.MIN_VALUE).isEmpty());
    }

    @Test
    void truncatedDigestsMatchTheirPrefix() {
        byte[] full = HashFunction.forCode(Multicodec.SHA2_256).orElseThrow().digest(new byte[0], 0, 0);
        Multihash truncated = Multihash.of(Multicodec.SHA2_256, java.util.Arrays.copyOf(full, 20));
        assertTrue(truncated.matchesDigest(full));
        full[3] ^= 1;
        assertTrue(!truncated.matchesDigest(full));
    }

    /**
     * A buffer's bytes from its position to its limit, however it is held: in an array at an
     * offset, read-only, or direct (hashed a piece at a time through an array), across the
     * piece's edges. Checked against the JDK's MessageDigest over the same bytes; the buffer's
     * position and limit are left as they were.
     */
    @Test
    void buffersOfEveryKindDigestTheirRemainingBytes() throws Exception {
        java.util.Random random = new java.util.Random(7);
        int piece = HashFunctions.Incremental.PIECE;
        for (long code : new long[] {Multicodec.SHA2_256, Multicodec.SHA2_512, Multicodec.SHA1, Multicodec.BLAKE3}) {
            HashFunction f = HashFunction.forCode(code).orElseThrow();
            for (int length : new int[] {0, 1, 63, 64, piece - 1, piece, piece + 1, 3 * piece + 17, 262_144}) {
                byte[] bytes = new byte[length + 40];
                random.nextBytes(bytes);
                byte[] expected = f.digest(bytes, 13, length);
                if (code == Multicodec.SHA2_256) {
                    java.security.MessageDigest jdk = java.security.MessageDigest.getInstance("SHA-256");
                    jdk.update(bytes, 13, length);
                    assertEquals(HexFormat.of().formatHex(jdk.digest()), HexFormat.of().formatHex(expected));
                }
                java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes);
                java.nio.ByteBuffer[] kinds = {
                    java.nio.ByteBuffer.wrap(bytes).position(13).limit(13 + length),
                    java.nio.ByteBuffer.wrap(bytes, 5, bytes.length - 5).slice().position(8).limit(8 + length),
                    java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer().position(13).limit(13 + length),
                    direct.position(13).limit(13 + length),
                    direct.duplicate().position(11).limit(11 + length + 2).slice().position(2),
                };
                for (java.nio.ByteBuffer b : kinds) {
                    int position = b.position();
                    int limit = b.limit();
                    assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(f.digest(b)),
                            f.name() + " of " + length + " bytes in " + b);
                    assertEquals(position, b.position());
                    assertEquals(limit, b.limit());
                }
            }
        }
    }
}
