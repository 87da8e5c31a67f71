package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CidProperties {
    @Provide
    Arbitrary<Cid> cids() {
        Arbitrary<Long> codecs = Arbitraries.oneOf(
                Arbitraries.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR, Multicodec.DAG_JSON),
                Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<Long> hashes = Arbitraries.oneOf(
                Arbitraries.of(Multicodec.SHA2_256, Multicodec.BLAKE2B_256, Multicodec.IDENTITY),
                Arbitraries.longs().between(0, 1L << 40));
        Arbitrary<byte[]> digests = Arbitraries.bytes().array(byte[].class).ofMaxSize(70);
        Arbitrary<Cid> v1 = Combinators.combine(codecs, hashes, digests)
                .as((c, h, d) -> Cid.v1(c, Multihash.of(h, d)));
        Arbitrary<Cid> v0 = Arbitraries.bytes().array(byte[].class).ofSize(32)
                .map(d -> Cid.v0(Multihash.of(Multicodec.SHA2_256, d)));
        return Arbitraries.oneOf(v1, v0);
    }

    /** digestWord reads the digest eight bytes at a time as the bytes themselves say, inside a CID too. */
    @Property
    void digestWordsAreTheDigestsBytes(@ForAll("cids") Cid cid) throws CidFormatException {
        Multihash mh = Cid.decode(cid.toBytes()).multihash();
        byte[] d = mh.digest();
        for (int i = 0; i < d.length; i++) {
            long want = 0;
            for (int j = i; j < Math.min(d.length, i + 8); j++) {
                want = (want << 8) | (d[j] & 0xff);
            }
            assertEquals(want, mh.digestWord(i), "from " + i + " of " + d.length);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> mh.digestWord(d.length));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> mh.digestWord(-1));
    }

    @Property
    void bytesRoundTrip(@ForAll("cids") Cid cid) throws CidFormatException {
        Cid back = Cid.decode(cid.toBytes());
        assertEquals(cid, back);
        assertArrayEquals(cid.toBytes(), back.toBytes());
        assertEquals(cid.version(), back.version());
    }

    @Property
    void stringsRoundTripInEveryBase(@ForAll("cids") Cid cid, @ForAll Multibase base) throws CidFormatException {
        assertEquals(cid, Cid.parse(cid.toString()));
        Cid v1 = cid.toV1();
        assertEquals(v1, Cid.parse(v1.toString(base)));
        assertEquals(v1.toString(base), Cid.parse(v1.toString(base)).toString(base));
    }

    /**
     * Parsing keeps the strings it lately parsed with their CIDs: the same string again gives the
     * same object, and any string (its own, another base's, another CID's in the same slot)
     * gives the CID it names whatever was parsed before.
     */
    @Property
    void aStringParsedAgainIsTheCidItNamesWhateverCameBefore(@ForAll("cids") Cid a, @ForAll("cids") Cid b,
            @ForAll Multibase base) throws CidFormatException {
        Cid first = Cid.parse(a.toString());
        assertEquals(a, first);
        assertSame(first, Cid.parse(new String(a.toString().toCharArray())));
        java.util.Map<String, Cid> named = new java.util.LinkedHashMap<>();
        named.put(b.toString(), b);
        named.put(b.toV1().toString(base), b.toV1());
        named.put(a.toV1().toString(base), a.toV1());
        named.put(a.toString(), a);
        for (int round = 0; round < 2; round++) {
            for (java.util.Map.Entry<String, Cid> e : named.entrySet()) {
                Cid got = Cid.parse(e.getKey());
                assertEquals(e.getValue(), got, e.getKey());
                assertEquals(e.getValue().version(), got.version(), e.getKey());
            }
        }
    }

    @Property
    void decodingAPrefixLeavesTheRest(@ForAll("cids") Cid cid) throws CidFormatException {
        byte[] b = cid.toBytes();
        byte[] more = java.util.Arrays.copyOf(b, b.length + 5);
        Cid c = Cid.decode(more, 0, more.length);
        assertEquals(cid, c);
        assertEquals(b.length, c.encodedLength());
    }

    /**
     * A decoded CID's multihash (which shares the CID's array, at an offset) is the multihash it
     * was made from: equal both ways, the same hash code, bytes, digest and digest match.
     */
    @Property
    void aDecodedCidsMultihashIsTheOneItWasMadeFrom(@ForAll("cids") Cid cid, @ForAll byte pad) throws CidFormatException {
        byte[] b = cid.toBytes();
        byte[] framed = new byte[b.length + 3];
        framed[0] = pad;
        framed[1] = pad;
        System.arraycopy(b, 0, framed, 2, b.length);
        framed[framed.length - 1] = pad;
        Multihash made = cid.multihash();
        Multihash decoded = Cid.decode(framed, 2, framed.length - 1).multihash();
        framed[5 % framed.length] ^= 0x55; // the source array changed after decoding
        assertEquals(made, decoded);
        assertEquals(decoded, made);
        assertEquals(made.hashCode(), decoded.hashCode());
        assertEquals(java.util.Arrays.hashCode(made.toBytes()), decoded.hashCode());
        assertArrayEquals(made.toBytes(), decoded.toBytes());
        assertArrayEquals(made.digest(), decoded.digest());
        assertEquals(made.digestLength(), decoded.digestLength());
        assertEquals(made.encodedLength(), decoded.encodedLength());
        assertEquals(made.toString(), decoded.toString());
        assertEquals(true, decoded.matchesDigest(made.digest()));
        assertEquals(made, Multihash.decode(decoded.toBytes()));
        if (made.digestLength() > 0) {
            byte[] other = made.digest();
            other[other.length - 1] ^= 1;
            assertEquals(false, decoded.matchesDigest(other));
            assertEquals(false, decoded.equals(Multihash.of(made.code(), other)));
        }
    }
}
