package dev.cartool.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.Links;
import dev.cartool.block.MalformedBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Multibase;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Varint;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.DagPbException;
import dev.cartool.ipld.DagCbor;
import dev.cartool.unixfs.UnixFsData;
import dev.cartool.unixfs.UnixFsFormatException;
import org.junit.jupiter.api.Test;

/**
 * Every failure of the format layers is a {@link CarException} with a {@link Kind}: one tree, so
 * the CLI and the gateway each map kinds in one place and nothing falls through as a bug.
 */
class ErrorTreeTest {

    @Test
    void textThatDoesNotParseIsSyntax() {
        CarException cid = assertThrows(CidFormatException.class, () -> Cid.parse("bafy-not-a-cid"));
        assertEquals(Kind.SYNTAX, cid.kind());
        assertEquals(-1, cid.offset());
        CarException base = assertThrows(CidFormatException.class, () -> Multibase.decode("zIl0O"));
        assertEquals(Kind.SYNTAX, base.kind());
        CarException varint = assertThrows(Varint.VarintException.class,
                () -> Varint.decode(new byte[] {(byte) 0x80}, 0, 1));
        assertEquals(Kind.SYNTAX, varint.kind());
        assertEquals(Kind.SYNTAX, assertThrows(CarException.class, () -> Multicodec.code("no-such-codec")).kind());
    }

    @Test
    void blockFormatsAreMalformedBlocks() {
        byte[] junk = {(byte) 0xff, (byte) 0xff, 0x01};
        assertEquals(Kind.MALFORMED_BLOCK, assertThrows(DagPbException.class, () -> DagPb.decode(junk)).kind());
        assertEquals(Kind.MALFORMED_BLOCK,
                assertThrows(UnixFsFormatException.class, () -> UnixFsData.decode(junk)).kind());
        assertEquals(Kind.MALFORMED_BLOCK,
                assertThrows(DagCbor.DagCborException.class, () -> DagCbor.check(junk, 0, junk.length, new java.util.ArrayList<>())).kind());
    }

    @Test
    void aBlockThatDoesNotDecodeIsNamedByItsCid() throws Exception {
        byte[] junk = {(byte) 0xff, (byte) 0xff, 0x01};
        Cid cid = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, junk);
        MalformedBlockException e = assertThrows(MalformedBlockException.class, () -> Links.of(Block.of(cid, junk)));
        assertEquals(Kind.MALFORMED_BLOCK, e.kind());
        assertEquals(cid, e.cid());
        assertInstanceOf(CarException.class, e);
        assertEquals(List.of(), Links.of(Block.of(Cid.of(Multicodec.RAW, Multicodec.SHA2_256, junk), junk)));
    }
}
