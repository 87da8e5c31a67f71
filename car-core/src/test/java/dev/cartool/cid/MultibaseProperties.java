package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class MultibaseProperties {
    @Property
    void everyBaseRoundTrips(@ForAll Multibase base, @ForAll @Size(max = 80) byte[] data) throws CidFormatException {
        String s = base.encode(data);
        assertEquals(base.prefix(), s.charAt(0));
        assertEquals(base, Multibase.of(s));
        assertArrayEquals(data, Multibase.decode(s));
    }

    @Property
    void leadingZeroBytesSurvive(@ForAll Multibase base, @ForAll @Size(max = 5) byte[] tail) throws CidFormatException {
        byte[] data = new byte[3 + tail.length];
        System.arraycopy(tail, 0, data, 3, tail.length);
        assertArrayEquals(data, Multibase.decode(base.encode(data)));
    }

    @Example
    void knownVectorsFromTheMultibaseSpec() {
        byte[] hello = "yes mani !".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("f796573206d616e692021", Multibase.BASE16.encode(hello));
        assertEquals("bpfsxgidnmfxgsibb", Multibase.BASE32.encode(hello));
        assertEquals("BPFSXGIDNMFXGSIBB", Multibase.BASE32_UPPER.encode(hello));
        assertEquals("k2lcpzo5yikidynfl", Multibase.BASE36.encode(hello));
        assertEquals("z7paNL19xttacUY", Multibase.BASE58BTC.encode(hello));
        assertEquals("meWVzIG1hbmkgIQ", Multibase.BASE64.encode(hello));
        assertEquals("ueWVzIG1hbmkgIQ", Multibase.BASE64URL.encode(hello));
    }

    @Example
    void invalidStringsAreRejectedWithTheirReason() {
        Multibase.MultibaseException e = assertThrows(Multibase.MultibaseException.class,
                () -> Multibase.decode("bafy1"));
        assertEquals("invalid base32 character '1' at position 4", e.getMessage());
        // A character that cannot be shown is named by its code: four hex digits.
        assertEquals("invalid base32 character '\\u00e9' at position 2",
                assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("ba\u00e9a")).getMessage());
        assertEquals("unsupported multibase prefix '\\u0001'",
                assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("\u0001abc")).getMessage());
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("qabc"));
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode(""));
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("z0OIl"));
        // Non-canonical: trailing bits set, or a length no byte string encodes to.
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("bb"));
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("bah"));
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("mYR=="));
        assertThrows(Multibase.MultibaseException.class, () -> Multibase.decode("f0"));
    }
}
