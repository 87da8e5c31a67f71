package dev.cartool.block;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

import dev.cartool.cid.Cid;

/**
 * One block: its CID, its bytes, and where its section sits in the CAR it came from.
 * Immutable; {@link #data()} returns a copy, {@link #dataBuffer()} a read-only view.
 */
public final class Block {
    /**
     * The most bytes a block may hold: 8 MiB, the section limit go-car and this toolkit's readers
     * apply by default. A DAG that claims a larger leaf is refused before anything is allocated.
     */
    public static final int MAX_LENGTH = 8 << 20;

    private final Cid cid;
    private final byte[] buf;
    private final int dataOffset;
    private final int length;
    private final long offset;
    private final long sectionLength;

    private Block(Cid cid, byte[] buf, int dataOffset, int length, long offset, long sectionLength) {
        this.cid = cid;
        this.buf = buf;
        this.dataOffset = dataOffset;
        this.length = length;
        this.offset = offset;
        this.sectionLength = sectionLength;
    }

    /**
     * A block read from a CAR: its data is {@code length} bytes of {@code section} from
     * {@code dataOffset}; the section started at {@code offset} of its file and took
     * {@code sectionLength} bytes. The array is taken, not copied: the caller must not change it.
     */
    public static Block fromSection(Cid cid, byte[] section, int dataOffset, int length, long offset,
            long sectionLength) {
        Objects.requireNonNull(cid, "cid");
        Objects.checkFromIndexSize(dataOffset, length, section.length);
        return new Block(cid, section, dataOffset, length, offset, sectionLength);
    }

    /** A block not (yet) in any CAR: offset and section length are -1. */
    public static Block of(Cid cid, byte[] data) {
        Objects.requireNonNull(cid, "cid");
        byte[] copy = data.clone();
        return new Block(cid, copy, 0, copy.length, -1, -1);
    }

    /**
     * The same bytes under another CID that names them (a CIDv0 and its CIDv1 name one block):
     * what a lookup by multihash returns for the CID it was asked.
     */
    public Block as(Cid other) {
        if (other.equals(cid)) {
            return this;
        }
        if (!other.multihash().equals(cid.multihash())) {
            throw new IllegalArgumentException(other + " does not name the block " + cid);
        }
        return new Block(other, buf, dataOffset, length, offset, sectionLength);
    }

    public Cid cid() {
        return cid;
    }

    /** A copy of the block's bytes. */
    public byte[] data() {
        byte[] out = new byte[length];
        System.arraycopy(buf, dataOffset, out, 0, length);
        return out;
    }

    /** A read-only view of the block's bytes, without copying. */
    public ByteBuffer dataBuffer() {
        return ByteBuffer.wrap(buf, dataOffset, length).slice().asReadOnlyBuffer();
    }

    /** Length of the block's bytes. */
    public int length() {
        return length;
    }

    /** Offset of the section (its length varint) from the start of the file; -1 if none. */
    public long offset() {
        return offset;
    }

    /** Bytes the whole section takes: length varint, CID and data; -1 if not from a CAR. */
    public long sectionLength() {
        return sectionLength;
    }

    /** Offset of the block's bytes (after the CID) from the start of the file; -1 if none. */
    public long dataOffset() {
        return offset < 0 ? -1 : offset + sectionLength - length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, dataOffset, length);
    }

    @Override
    public String toString() {
        return "Block[" + cid + ", " + length + " bytes" + (offset >= 0 ? " at offset " + offset : "") + "]";
    }
}
