package dev.cartool.car;

import dev.cartool.cid.Cid;

/**
 * Where one section sits in a CAR file, without its data.
 *
 * @param cid the block's CID
 * @param offset offset of the section's length varint
 * @param sectionLength bytes of the whole section (varint, CID, data)
 * @param dataLength bytes of the block's data
 */
public record SectionRef(Cid cid, long offset, long sectionLength, int dataLength) {
    /** Offset of the block's data. */
    public long dataOffset() {
        return offset + sectionLength - dataLength;
    }

    /** Offset just past this section: where the next one starts. */
    public long end() {
        return offset + sectionLength;
    }
}
