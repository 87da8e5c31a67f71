package dev.cartool.cid;

import java.nio.charset.StandardCharsets;

import dev.cartool.testing.Fuzz;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Issue 9's campaign: varints, multibase, multihashes, CIDs and ipfs paths, from bytes and strings. */
class CidFuzzProperties {
    private static final String[] REAL = {
        "bafybeifw7qvanfmqmnrsfhxdvtyj2q7756wbgi5bgrl7zxtwjb6ixlpxda",
        "QmWkyrV21Cmr1KovtEh5s7gPVLEZ9tjAQvgPfKsjtGfntR",
        "bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy",
        "zb2rhmy65F3REf8SZp7De11gxtECBGgUKaLdiDj7MCGCHxbDW",
        "bafkqaaa"
    };

    @Property(tries = 2000)
    void bytes(@ForAll @Size(max = 80) byte[] b) {
        Fuzz.cleanly("varint", b, () -> Varint.decode(b, 0, b.length), Varint.VarintException.class);
        Fuzz.cleanly("multihash", b, () -> Multihash.decode(b), CidFormatException.class, Varint.VarintException.class);
        Fuzz.cleanly("cid-bytes", b, () -> Cid.decode(b), CidFormatException.class, Varint.VarintException.class);
        measureAgreesWithDecode(b);
    }

    /** {@link Cid#measure} accepts what decode accepts, at the same length, and refuses with its message. */
    private static void measureAgreesWithDecode(byte[] b) {
        String decoded;
        String measured;
        try {
            decoded = "length " + Cid.decode(b, 0, b.length).encodedLength();
        } catch (CidFormatException e) {
            decoded = "error " + e.getMessage();
        }
        try {
            measured = "length " + Cid.measure(b, 0, b.length);
        } catch (CidFormatException e) {
            measured = "error " + e.getMessage();
        }
        org.junit.jupiter.api.Assertions.assertEquals(decoded, measured);
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("bBzZfFkKmMuU0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/+=-_:.%\u00e9\u0000")
                .ofMaxLength(90);
    }

    @Property(tries = 2000)
    void strings(@ForAll("strings") String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Fuzz.cleanly("cid-string", b, () -> Cid.parse(s), CidFormatException.class);
        Fuzz.cleanly("multibase", b, () -> Multibase.decode(s), CidFormatException.class);
        Fuzz.cleanly("ipfs-path", b, () -> IpfsPath.parse(s), CidFormatException.class);
    }

    @Property(tries = 3000)
    void mutatedRealCids(@ForAll @IntRange(max = 4) int which, @ForAll int kind, @ForAll int where, @ForAll int value) throws CidFormatException {
        byte[] text = Fuzz.mutate(REAL[which].getBytes(StandardCharsets.US_ASCII), kind, where, value);
        String s = new String(text, StandardCharsets.ISO_8859_1);
        Fuzz.cleanly("cid-string", text, () -> Cid.parse(s), CidFormatException.class);
        byte[] bin = Fuzz.mutate(Cid.parse(REAL[which]).toBytes(), kind, where, value);
        Fuzz.cleanly("cid-bytes", bin, () -> Cid.decode(bin), CidFormatException.class, Varint.VarintException.class);
        measureAgreesWithDecode(bin);
    }
}
