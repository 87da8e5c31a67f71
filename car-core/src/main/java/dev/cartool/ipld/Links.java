package dev.cartool.ipld;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;

import dev.cartool.car.Block;
import dev.cartool.car.MalformedBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.DagPbException;
import dev.cartool.dagpb.PbLink;

/**
 * The links out of a block, by its codec: dag-pb link hashes in order, every CID (tag 42)
 * inside a dag-cbor block in document order, none for raw. This is what DAG traversals
 * (verify's completeness check, {@code dag export} order) follow.
 */
public final class Links {
    private static final CBORFactory CBOR = CBORFactory.builder().build();
    private static final int CID_TAG = 42;

    private Links() {
    }

    /** Whether this toolkit can find the links in blocks of {@code codec}. */
    public static boolean understands(long codec) {
        return codec == Multicodec.RAW || codec == Multicodec.DAG_PB || codec == Multicodec.DAG_CBOR
                || codec == Multicodec.LIBP2P_KEY;
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

    private static List<Cid> dagCbor(Block block) throws MalformedBlockException {
        ByteBuffer b = block.dataBuffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        List<Cid> out = new ArrayList<>();
        try (CBORParser p = (CBORParser) CBOR.createParser(bytes)) {
            int depth = 0;
            JsonToken t = p.nextToken();
            if (t == null) {
                throw bad(block, "empty block");
            }
            while (t != null) {
                switch (t) {
                    case START_OBJECT:
                    case START_ARRAY:
                        depth++;
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        depth--;
                        break;
                    case VALUE_EMBEDDED_OBJECT:
                        if (p.getCurrentTag() == CID_TAG) {
                            out.add(cidOf(block, p.getBinaryValue()));
                        }
                        break;
                    default:
                        if (p.getCurrentTag() == CID_TAG) {
                            throw bad(block, "tag 42 on something other than a byte string");
                        }
                        break;
                }
                t = p.nextToken();
                if (depth == 0 && t != null) {
                    throw bad(block, "trailing data after the first DAG-CBOR item");
                }
            }
        } catch (StreamConstraintsException e) {
            throw bad(block, "DAG-CBOR beyond limits: " + e.getOriginalMessage());
        } catch (MalformedBlockException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            int nl = m.indexOf('\n');
            throw bad(block, "invalid DAG-CBOR: " + (nl < 0 ? m : m.substring(0, nl)));
        }
        return out;
    }

    private static Cid cidOf(Block block, byte[] tagged) throws MalformedBlockException {
        if (tagged.length < 2 || tagged[0] != 0) {
            throw bad(block, "a CID (tag 42) lacks its 0x00 prefix");
        }
        try {
            return Cid.decode(java.util.Arrays.copyOfRange(tagged, 1, tagged.length));
        } catch (CidFormatException e) {
            throw bad(block, "a CID (tag 42) is invalid: " + e.getMessage());
        }
    }

    private static MalformedBlockException bad(Block block, String detail) {
        return new MalformedBlockException(block.offset(), block.cid(), detail);
    }
}
