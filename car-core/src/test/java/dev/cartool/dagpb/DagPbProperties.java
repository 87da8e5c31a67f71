package dev.cartool.dagpb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.testing.Fuzz;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DagPbProperties {
    @Provide
    Arbitrary<PbNode> nodes() {
        Arbitrary<PbLink> links = Combinators.combine(
                Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(d -> Cid.of(Multicodec.RAW, Multicodec.SHA2_256, d)),
                        Arbitraries.bytes().array(byte[].class).ofSize(32).map(d -> Cid.v0(Multihash.of(Multicodec.SHA2_256, d))),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(d -> Cid.v1(Multicodec.DAG_PB, Multihash.of(0xb220, d)))),
                Arbitraries.strings().ofMaxLength(12).injectNull(0.2),
                Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.2)).as(PbLink::new);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.3);
        return Combinators.combine(links.list().ofMaxSize(6), data).as((l, d) -> {
            // The canonical form sorts links by name bytes; build nodes already in that order.
            List<PbLink> sorted = new ArrayList<>(l);
            sorted.sort(Comparator.comparing(x -> x.name() == null ? "" : x.name(), DagPbProperties::utf8Compare));
            return new PbNode(sorted, d);
        });
    }

    private static int utf8Compare(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Property
    void encodeThenDecodeIsIdentity(@ForAll("nodes") PbNode node) throws DagPbException {
        assertEquals(node, DagPb.decode(DagPb.encode(node)));
    }

    @Property
    void anyBytesDecodeOrFailCleanly(@ForAll @Size(max = 200) byte[] data) {
        try {
            PbNode n = DagPb.decode(data);
            // What decodes is canonical only if re-encoding gives the same bytes; either way, no crash.
            DagPb.encode(n);
        } catch (DagPbException expected) {
            // fine
        }
    }

    /**
     * {@link DagPb#linkHashes} passes and fails exactly the nodes {@link DagPb#decode} does, with
     * the same message, and hands on the same links' CIDs in order, as positions in the array
     * (here with bytes before and after the node), for canonical nodes and damaged ones.
     */
    @Property(tries = 3000)
    void linkHashesSayWhatDecodeSays(@ForAll("nodes") PbNode node, @ForAll int kind, @ForAll int where,
            @ForAll int value, @ForAll boolean damaged, @ForAll @IntRange(max = 3) int before) {
        byte[] encoded = DagPb.encode(node);
        byte[] b = damaged ? Fuzz.mutate(encoded, kind, where, value) : encoded;
        byte[] src = new byte[before + b.length + 2];
        java.util.Arrays.fill(src, (byte) 0x12);
        System.arraycopy(b, 0, src, before, b.length);
        String decoded;
        try {
            decoded = DagPb.decode(b).links().stream().map(l -> HexFormat.of().formatHex(l.hash().toBytes()))
                    .collect(Collectors.joining(","));
        } catch (DagPbException e) {
            decoded = "error " + e.getMessage();
        }
        List<String> hashes = new ArrayList<>();
        String scanned;
        try {
            DagPb.linkHashes(src, before, b.length, (at, len) -> hashes.add(HexFormat.of().formatHex(src, at, at + len)));
            scanned = String.join(",", hashes);
        } catch (DagPbException e) {
            scanned = "error " + e.getMessage();
        }
        assertEquals(decoded, scanned);
        if (!damaged) {
            assertEquals(node.links().size(), hashes.size());
        }
    }
}
