package dev.cartool.unixfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.PbLink;
import dev.cartool.io.Text;

/**
 * The layout of a UnixFS HAMT-sharded directory, one shard's parameters: the rule both the
 * importer (building shards) and the reader (looking names up, listing) follow, so the two
 * cannot disagree.
 *
 * <p>A name's murmur3-x64-64 hash is read from its most significant bit, {@code log2(fanout)}
 * bits per level: the slot at depth {@code d} is bits {@code [d*w, (d+1)*w)}. A shard links to
 * each occupied slot under the slot number in upper-case hex padded to the width of
 * {@code fanout - 1}: the link is named by the prefix alone for a sub-shard, and by the prefix
 * followed by the entry's name for an entry. The shard's data holds the occupied slots as a
 * big-endian bitfield (bit {@code i} counted from the least significant bit of the last byte).
 */
public final class Hamt {
    /** The only hash function UnixFS shards use: murmur3-x64-64 (multicodec 0x22). */
    public static final long HASH_MURMUR3 = 0x22;

    private final int fanout;
    private final int bits;
    private final int pad;

    private Hamt(int fanout) {
        this.fanout = fanout;
        this.bits = Integer.numberOfTrailingZeros(fanout);
        this.pad = Integer.toHexString(fanout - 1).length();
    }

    /** A layout of {@code fanout} slots per shard: a power of two from 8 to 1024. */
    public static Hamt ofFanout(int fanout) {
        if (fanout < 8 || fanout > 1024 || Integer.bitCount(fanout) != 1) {
            throw new IllegalArgumentException("HAMT fanout " + fanout + " is not a power of two from 8 to 1024");
        }
        return new Hamt(fanout);
    }

    /**
     * The layout a shard node declares, checked.
     *
     * @throws UnixFsException if its hash type is not murmur3 or its fanout is not allowed
     */
    public static Hamt of(UnixFsNode shard) throws UnixFsException {
        UnixFsData d = shard.data();
        if (d.hashType() == null || d.hashType() != HASH_MURMUR3) {
            throw new UnixFsException(shard.cid(), "HAMT shard " + shard.cid() + " uses hash type "
                    + (d.hashType() == null ? "(none)" : Multicodec.hex(d.hashType())) + ", not murmur3 (0x22)");
        }
        Long f = d.fanout();
        if (f == null || f < 8 || f > 1024 || Long.bitCount(f) != 1) {
            throw new UnixFsException(shard.cid(), "HAMT shard " + shard.cid() + " has fanout " + f
                    + " (a power of two from 8 to 1024 is required)");
        }
        return new Hamt(f.intValue());
    }

    public int fanout() {
        return fanout;
    }

    /** The number of hex digits a link name's slot prefix has. */
    public int prefixLength() {
        return pad;
    }

    /** Levels a 64-bit hash can address: a shard deeper than this is malformed. */
    public int maxDepth() {
        return 64 / bits;
    }

    /** The hash a name is placed by. */
    public static long hash(String name) {
        return Murmur3.hash64(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The slot {@code hash} falls in at {@code depth} (0 for the root shard). */
    public int slot(long hash, int depth) {
        if ((depth + 1) * bits > 64) {
            throw new IllegalArgumentException("HAMT depth " + depth + " is past the 64-bit hash");
        }
        return (int) ((hash << (depth * bits)) >>> (64 - bits));
    }

    /** A slot's link-name prefix: upper-case hex, padded. */
    public String prefix(int slot) {
        return Text.hex(slot, pad).toUpperCase(Locale.ROOT);
    }

    /** The link to a sub-shard is named by the prefix alone. */
    public boolean isShardLink(PbLink link) {
        return link.name() != null && link.name().length() == pad;
    }

    /** Whether a link name starts with a well-formed slot prefix. */
    public boolean hasSlotPrefix(String name) {
        if (name == null || name.length() < pad) {
            return false;
        }
        for (int i = 0; i < pad; i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** The data of a shard whose occupied slots are {@code occupied}. */
    public UnixFsData shardData(BitSet occupied) {
        byte[] field = new byte[Math.max(1, (occupied.length() + 7) / 8)];
        for (int i = occupied.nextSetBit(0); i >= 0; i = occupied.nextSetBit(i + 1)) {
            field[field.length - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
        return UnixFsData.builder(UnixFsData.Type.HAMT_SHARD).data(field).hashType(HASH_MURMUR3)
                .fanout((long) fanout).build();
    }

    @Override
    public String toString() {
        return "Hamt[fanout " + fanout + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hamt && ((Hamt) o).fanout == fanout;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {fanout});
    }
}
