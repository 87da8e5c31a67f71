package dev.cartool.unixfs;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The UnixFS {@code Data} message carried in a DAG-PB node's Data field: Type = 1, Data = 2,
 * filesize = 3, blocksizes = 4 (repeated, packed or not), hashType = 5, fanout = 6, mode = 7,
 * mtime = 8 (Seconds = 1, FractionalNanoseconds = 2 as fixed32). Immutable.
 */
public final class UnixFsData {
    /** The node types of the UnixFS spec, by their wire value. */
    public enum Type {
        RAW(0), DIRECTORY(1), FILE(2), METADATA(3), SYMLINK(4), HAMT_SHARD(5);

        private final int value;

        Type(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        static Type of(long v) throws UnixFsFormatException {
            for (Type t : values()) {
                if (t.value == v) {
                    return t;
                }
            }
            throw new UnixFsFormatException("unknown UnixFS Type " + v);
        }
    }

    /**
     * A modification time.
     *
     * @param seconds seconds since the epoch (may be negative)
     * @param nanos fractional nanoseconds, 0 to 999,999,999
     */
    public record Mtime(long seconds, int nanos) {
        public Mtime {
            if (nanos < 0 || nanos > 999_999_999) {
                throw new IllegalArgumentException("mtime nanoseconds out of range: " + nanos);
            }
        }
    }

    private final Type type;
    private final byte[] data;
    private final Long filesize;
    private final long[] blocksizes;
    private final Long hashType;
    private final Long fanout;
    private final Integer mode;
    private final Mtime mtime;

    private UnixFsData(Type type, byte[] data, Long filesize, long[] blocksizes, Long hashType, Long fanout,
            Integer mode, Mtime mtime) {
        this.type = Objects.requireNonNull(type, "type");
        this.data = data;
        this.filesize = filesize;
        this.blocksizes = blocksizes;
        this.hashType = hashType;
        this.fanout = fanout;
        this.mode = mode;
        this.mtime = mtime;
    }

    public static Builder builder(Type type) {
        return new Builder(type);
    }

    public Type type() {
        return type;
    }

    /** The Data field (file bytes held in this node, or a symlink's target, or a HAMT bitfield); empty if absent. */
    public byte[] data() {
        return data == null ? new byte[0] : data.clone();
    }

    public int dataLength() {
        return data == null ? 0 : data.length;
    }

    public boolean hasData() {
        return data != null;
    }

    /** The filesize field, or null when absent. */
    public Long filesize() {
        return filesize;
    }

    /** Content length under each link, in link order. */
    public long[] blocksizes() {
        return blocksizes.clone();
    }

    public int blocksizeCount() {
        return blocksizes.length;
    }

    public long blocksize(int i) {
        return blocksizes[i];
    }

    public Long hashType() {
        return hashType;
    }

    public Long fanout() {
        return fanout;
    }

    /** Unix permission bits (and the high bits, if set), or null when absent. */
    public Integer mode() {
        return mode;
    }

    public Mtime mtime() {
        return mtime;
    }

    /** Decodes the message; unknown fields, wrong wire types and bad lengths are errors. */
    public static UnixFsData decode(byte[] b) throws UnixFsFormatException {
        Proto p = new Proto(b);
        Type type = null;
        byte[] data = null;
        Long filesize = null;
        List<Long> sizes = new ArrayList<>();
        Long hashType = null;
        Long fanout = null;
        Integer mode = null;
        Mtime mtime = null;
        while (p.more()) {
            long key = p.varint("field key");
            long field = key >>> 3;
            int wire = (int) (key & 7);
            switch ((int) Math.min(field, 99)) {
                case 1:
                    p.expect(wire, 0, "Type");
                    type = Type.of(p.varint("Type"));
                    break;
                case 2:
                    p.expect(wire, 2, "Data");
                    data = p.bytes("Data");
                    break;
                case 3:
                    p.expect(wire, 0, "filesize");
                    filesize = p.varint("filesize");
                    break;
                case 4:
                    if (wire == 2) { // packed
                        Proto packed = new Proto(p.bytes("blocksizes"));
                        while (packed.more()) {
                            sizes.add(packed.varint("blocksizes"));
                        }
                    } else {
                        p.expect(wire, 0, "blocksizes");
                        sizes.add(p.varint("blocksizes"));
                    }
                    break;
                case 5:
                    p.expect(wire, 0, "hashType");
                    hashType = p.varint("hashType");
                    break;
                case 6:
                    p.expect(wire, 0, "fanout");
                    fanout = p.varint("fanout");
                    break;
                case 7:
                    p.expect(wire, 0, "mode");
                    long m = p.varint("mode");
                    if (m > 0xFFFFFFFFL) {
                        throw new UnixFsFormatException("mode " + m + " does not fit 32 bits");
                    }
                    mode = (int) m;
                    break;
                case 8:
                    p.expect(wire, 2, "mtime");
                    mtime = decodeMtime(p.bytes("mtime"));
                    break;
                default:
                    throw new UnixFsFormatException("unknown UnixFS Data field " + field);
            }
        }
        if (type == null) {
            throw new UnixFsFormatException("UnixFS Data has no Type");
        }
        long[] bs = new long[sizes.size()];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = sizes.get(i);
        }
        return new UnixFsData(type, data, filesize, bs, hashType, fanout, mode, mtime);
    }

    private static Mtime decodeMtime(byte[] b) throws UnixFsFormatException {
        Proto p = new Proto(b);
        long seconds = 0;
        int nanos = 0;
        while (p.more()) {
            long key = p.varint("mtime field key");
            long field = key >>> 3;
            int wire = (int) (key & 7);
            if (field == 1) {
                p.expect(wire, 0, "mtime.Seconds");
                seconds = p.varint("mtime.Seconds"); // int64: two's complement in 64 bits
            } else if (field == 2) {
                p.expect(wire, 5, "mtime.FractionalNanoseconds");
                nanos = p.fixed32("mtime.FractionalNanoseconds");
                if (nanos < 0 || nanos > 999_999_999) {
                    throw new UnixFsFormatException("mtime nanoseconds out of range: " + Integer.toUnsignedString(nanos));
                }
            } else {
                throw new UnixFsFormatException("unknown UnixFS mtime field " + field);
            }
        }
        return new Mtime(seconds, nanos);
    }

    /** The protobuf encoding, fields in number order, blocksizes unpacked (as go-unixfs writes). */
    public byte[] encode() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        Proto.key(o, 1, 0);
        Proto.varint(o, type.value);
        if (data != null) {
            Proto.key(o, 2, 2);
            Proto.varint(o, data.length);
            o.writeBytes(data);
        }
        if (filesize != null) {
            Proto.key(o, 3, 0);
            Proto.varint(o, filesize);
        }
        for (long s : blocksizes) {
            Proto.key(o, 4, 0);
            Proto.varint(o, s);
        }
        if (hashType != null) {
            Proto.key(o, 5, 0);
            Proto.varint(o, hashType);
        }
        if (fanout != null) {
            Proto.key(o, 6, 0);
            Proto.varint(o, fanout);
        }
        if (mode != null) {
            Proto.key(o, 7, 0);
            Proto.varint(o, mode & 0xFFFFFFFFL);
        }
        if (mtime != null) {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            Proto.key(t, 1, 0);
            Proto.varint(t, mtime.seconds());
            if (mtime.nanos() != 0) {
                Proto.key(t, 2, 5);
                int n = mtime.nanos();
                t.write(n);
                t.write(n >>> 8);
                t.write(n >>> 16);
                t.write(n >>> 24);
            }
            Proto.key(o, 8, 2);
            Proto.varint(o, t.size());
            o.writeBytes(t.toByteArray());
        }
        return o.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UnixFsData)) {
            return false;
        }
        UnixFsData u = (UnixFsData) o;
        return type == u.type && Arrays.equals(data, u.data) && Objects.equals(filesize, u.filesize)
                && Arrays.equals(blocksizes, u.blocksizes) && Objects.equals(hashType, u.hashType)
                && Objects.equals(fanout, u.fanout) && Objects.equals(mode, u.mode) && Objects.equals(mtime, u.mtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(data), filesize, Arrays.hashCode(blocksizes), hashType, fanout, mode, mtime);
    }

    @Override
    public String toString() {
        return "UnixFsData[" + type + (filesize != null ? ", filesize=" + filesize : "")
                + ", " + blocksizes.length + " blocksizes, " + dataLength() + " data bytes]";
    }

    /** Builds a Data message (used by the importer and by tests). */
    public static final class Builder {
        private final Type type;
        private byte[] data;
        private Long filesize;
        private long[] blocksizes = new long[0];
        private Long hashType;
        private Long fanout;
        private Integer mode;
        private Mtime mtime;

        private Builder(Type type) {
            this.type = type;
        }

        public Builder data(byte[] d) {
            this.data = d == null ? null : d.clone();
            return this;
        }

        public Builder filesize(Long v) {
            this.filesize = v;
            return this;
        }

        public Builder blocksizes(long... v) {
            this.blocksizes = v.clone();
            return this;
        }

        public Builder hashType(Long v) {
            this.hashType = v;
            return this;
        }

        public Builder fanout(Long v) {
            this.fanout = v;
            return this;
        }

        public Builder mode(Integer v) {
            this.mode = v;
            return this;
        }

        public Builder mtime(Mtime v) {
            this.mtime = v;
            return this;
        }

        public UnixFsData build() {
            return new UnixFsData(type, data, filesize, blocksizes, hashType, fanout, mode, mtime);
        }
    }

    /** A bounded protobuf reader. */
    private static final class Proto {
        private final byte[] b;
        private int pos;

        Proto(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        long varint(String what) throws UnixFsFormatException {
            long v = 0;
            for (int i = 0; i < 10; i++) {
                if (pos >= b.length) {
                    throw new UnixFsFormatException(what + ": truncated varint");
                }
                int x = b[pos++] & 0xFF;
                if (i == 9 && x > 1) {
                    throw new UnixFsFormatException(what + ": varint exceeds 64 bits");
                }
                v |= (long) (x & 0x7F) << (7 * i);
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new UnixFsFormatException(what + ": varint longer than 10 bytes");
        }

        byte[] bytes(String what) throws UnixFsFormatException {
            long n = varint(what + " length");
            if (n < 0 || n > b.length - pos) {
                throw new UnixFsFormatException(what + ": length " + n + " exceeds the " + (b.length - pos) + " byte(s) left");
            }
            byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
            pos += (int) n;
            return out;
        }

        int fixed32(String what) throws UnixFsFormatException {
            if (b.length - pos < 4) {
                throw new UnixFsFormatException(what + ": truncated");
            }
            int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
            pos += 4;
            return v;
        }

        void expect(int wire, int expected, String what) throws UnixFsFormatException {
            if (wire != expected) {
                throw new UnixFsFormatException(what + " has wire type " + wire + ", expected " + expected);
            }
        }

        static void key(ByteArrayOutputStream o, int field, int wire) {
            varint(o, (field << 3) | wire);
        }

        static void varint(ByteArrayOutputStream o, long v) {
            while ((v & ~0x7FL) != 0) {
                o.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            o.write((int) v);
        }
    }
}
