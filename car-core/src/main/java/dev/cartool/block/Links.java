package dev.cartool.block;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.DagPbException;
import dev.cartool.dagpb.PbLink;
import dev.cartool.ipld.DagCbor;

/**
 * The links out of a block, by its codec: dag-pb link hashes in order, every CID (tag 42)
 * inside a dag-cbor block in document order, none for raw. This is what DAG traversals
 * (verify's completeness check, {@code dag export} order) follow.
 */
public final class Links {

    private Links() {
    }

    /** Whether this toolkit can find the links in blocks of {@code codec}. */
    public static boolean understands(long codec) {
        return codec == Multicodec.RAW || codec == Multicodec.DAG_PB || codec == Multicodec.DAG_CBOR
                || codec == Multicodec.LIBP2P_KEY;
    }

    /**
     * Whether blocks of {@code codec} can link to others and this toolkit finds the links: what a
     * traversal has to read a block's bytes for (raw blocks it need not).
     */
    public static boolean canLink(long codec) {
        return codec != Multicodec.RAW && understands(codec);
    }

    /**
     * The CIDs {@code block} links to, in order (duplicates kept). A codec that
     * {@link #understands} says no is treated as having none.
     *
     * @throws MalformedBlockException if the block does not decode under its codec
     */
    public static List<Cid> of(Block block) throws MalformedBlockException {
        long codec = block.cid().codec();
        if (codec == Multicodec.DAG_PB) {
            try {
                ByteBuffer b = block.dataBuffer();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                List<PbLink> links = DagPb.decode(bytes).links();
                List<Cid> out = new ArrayList<>(links.size());
                for (PbLink l : links) {
                    out.add(l.hash());
                }
                return out;
            } catch (DagPbException e) {
                throw new MalformedBlockException(block.offset(), block.cid(), "invalid DAG-PB: " + e.getMessage());
            }
        }
        if (codec == Multicodec.DAG_CBOR) {
            return dagCbor(block);
        }
        return List.of();
    }

    /**
     * The links of {@code block} as {@link #of} finds them, into {@code into} as their bytes: for
     * dag-pb read from one copy of the block, each link's CID checked and none made (verify of 10 million blocks
     * made 10 million CIDs and link objects only to fingerprint them); for dag-cbor read as
     * {@link #of} reads it and copied in.
     *
     * @throws MalformedBlockException if the block does not decode under its codec
     */
    public static void bytesOf(Block block, LinkBytes into) throws MalformedBlockException {
        long codec = block.cid().codec();
        if (codec == Multicodec.DAG_PB) {
            int n = into.copyOf(block.dataBuffer());
            try {
                DagPb.linkHashes(into.source(), 0, n, into.sink());
            } catch (DagPbException e) {
                throw new MalformedBlockException(block.offset(), block.cid(), "invalid DAG-PB: " + e.getMessage());
            }
        } else if (codec == Multicodec.DAG_CBOR) {
            into.fill(dagCbor(block));
        } else {
            into.clear();
        }
    }

    private static List<Cid> dagCbor(Block block) throws MalformedBlockException {
        ByteBuffer b = block.dataBuffer();
        byte[] bytes;
        int off;
        if (b.hasArray()) {
            bytes = b.array();
            off = b.arrayOffset() + b.position();
        } else {
            bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            off = 0;
        }
        List<Cid> out = new ArrayList<>();
        try {
            DagCbor.check(bytes, off, b.remaining(), out);
        } catch (DagCbor.DagCborException e) {
            throw bad(block, "invalid DAG-CBOR: " + e.getMessage());
        }
        return out;
    }

    private static MalformedBlockException bad(Block block, String detail) {
        return new MalformedBlockException(block.offset(), block.cid(), detail);
    }
}
