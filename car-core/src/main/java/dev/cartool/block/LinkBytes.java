package dev.cartool.block;

import java.util.Arrays;
import java.util.List;

import dev.cartool.cid.Cid;

/**
 * The links out of one block as their CIDs' bytes, each checked to be a CID: positions in one
 * array of this object's own (a copy of a dag-pb block's bytes, or the CIDs given), filled by
 * {@link Links#bytesOf} and reused from block to block. What a traversal that fingerprints
 * links needs, without a {@link Cid} made for each. The copy keeps blocks immutable: it costs a
 * few percent of reading the links (one arraycopy a block against a fingerprint a link).
 */
public final class LinkBytes {
    private int count;
    private int[] at = new int[256];
    private int[] length = new int[256];
    /** The bytes the links are in. */
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

    /** The array every link's bytes are in: this object's own, valid until it is filled again. */
    public byte[] source() {
        return own;
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
            return Cid.decode(Arrays.copyOfRange(own, at[i], at[i] + length[i]));
        } catch (dev.cartool.cid.CidFormatException e) {
            throw new IllegalStateException("a checked CID did not decode", e);
        }
    }

    /** None. */
    public void clear() {
        count = 0;
    }

    /** None yet, over a copy of {@code data}'s remaining bytes (from 0); returns their length. */
    int copyOf(java.nio.ByteBuffer data) {
        int n = data.remaining();
        room(n);
        data.duplicate().get(own, 0, n);
        count = 0;
        return n;
    }

    private void room(int n) {
        if (own.length < n || own.length > Math.max(n, 1 << 20)) {
            own = new byte[n]; // grown, or a huge block's given back
        }
    }

    /** {@link dev.cartool.dagpb.DagPb#linkHashes}'s sink: appends a span of this one's array. */
    dev.cartool.dagpb.DagPb.HashSink sink() {
        return sink;
    }

    /** These CIDs, copied into this one's own array. */
    void fill(List<Cid> cids) {
        int size = 0;
        for (Cid c : cids) {
            size += c.encodedLength();
        }
        room(size);
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
