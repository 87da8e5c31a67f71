package dev.cartool.block;

import java.util.Arrays;
import java.util.List;

import dev.cartool.cid.Cid;

/**
 * The links out of one block as their CIDs' bytes, each checked to be a CID: positions in one
 * array (the block's own for dag-pb), filled by {@link Links#bytesOf} and reused from block
 * to block. What a traversal that fingerprints links needs, without a {@link Cid} made for each.
 */
public final class LinkBytes {
    private byte[] src = new byte[0];
    private int count;
    private int[] at = new int[256];
    private int[] length = new int[256];
    /** The bytes of CIDs given as objects. */
    private byte[] own = new byte[0];
    private final dev.cartool.dagpb.DagPb.HashSink sink = this::append;

    /** Links given as objects (a codec read into them, tests): their bytes copied in. */
    public static LinkBytes of(List<Cid> cids) {
        LinkBytes l = new LinkBytes();
        l.fill(cids);
        return l;
    }

    /** How many links (duplicates kept). */
    public int count() {
        return count;
    }

    /** The array every link's bytes are in. */
    public byte[] source() {
        return src;
    }

    /** Where link {@code i}'s CID starts in {@link #source()}. */
    public int at(int i) {
        return at[i];
    }

    /** Link {@code i}'s CID's length. */
    public int length(int i) {
        return length[i];
    }

    /** Link {@code i} as a CID object. */
    public Cid cid(int i) {
        try {
            return Cid.decode(Arrays.copyOfRange(src, at[i], at[i] + length[i]));
        } catch (dev.cartool.cid.CidFormatException e) {
            throw new IllegalStateException("a checked CID did not decode", e);
        }
    }

    /** None, over no array. */
    public void clear() {
        src = own;
        count = 0;
    }

    /** None yet, over {@code array} (a block's, only read). */
    void over(byte[] array) {
        src = array;
        count = 0;
    }

    /** {@link dev.cartool.dagpb.DagPb#linkHashes}'s sink: appends a span of the current array. */
    dev.cartool.dagpb.DagPb.HashSink sink() {
        return sink;
    }

    /** These CIDs, copied into this one's own array. */
    void fill(List<Cid> cids) {
        int size = 0;
        for (Cid c : cids) {
            size += c.encodedLength();
        }
        if (own.length < size) {
            own = new byte[size];
        }
        src = own;
        count = 0;
        int pos = 0;
        for (Cid c : cids) {
            byte[] b = c.toBytes();
            System.arraycopy(b, 0, own, pos, b.length);
            append(pos, b.length);
            pos += b.length;
        }
    }

    private void append(int from, int len) {
        if (count == at.length) {
            at = Arrays.copyOf(at, count * 2);
            length = Arrays.copyOf(length, count * 2);
        }
        at[count] = from;
        length[count++] = len;
    }
}
