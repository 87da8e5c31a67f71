package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The fixed 40-byte header that follows a CARv2's pragma: 16 bytes of characteristics, then the data offset, data size and index
 * offset as little-endian u64. Checked as go-car checks it: the payload starts after the header,
 * lies inside the file, and the index (offset 0: none) comes after the payload.
 *
 * @param headerAt where these 40 bytes start (just after the pragma)
 */
public record CarV2Header(byte[] characteristics, long dataOffset, long dataSize, long indexOffset, long headerAt) {
    static final int LENGTH = 40;

    /**
     * @param fileSize the file's size, or -1 on a stream (the payload's end is then checked as it
     *     is read)
     */
    static CarV2Header decode(byte[] b, long headerAt, long fileSize) throws MalformedCarException {
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] characteristics = Arrays.copyOf(b, 16);
        long dataOffset = h.getLong(16);
        long dataSize = h.getLong(24);
        long indexOffset = h.getLong(32);
        String at = "CARv2 header at offset " + n(headerAt) + ": ";
        if (dataOffset < headerAt + LENGTH) {
            throw new MalformedCarException(headerAt, at + "data offset " + Long.toUnsignedString(dataOffset)
                    + " is inside the header (at least " + n(headerAt + LENGTH) + ")");
        }
        if (dataSize <= 0 || dataOffset + dataSize < dataOffset) {
            throw new MalformedCarException(headerAt, at + "data size " + Long.toUnsignedString(dataSize)
                    + " is not a payload");
        }
        long end = dataOffset + dataSize;
        if (fileSize >= 0 && end > fileSize) {
            throw new MalformedCarException(headerAt, at + "the payload (" + n(dataOffset) + " + " + n(dataSize)
                    + " bytes) runs past the end of the file (" + n(fileSize) + " bytes)");
        }
        if (indexOffset != 0 && (indexOffset < end || (fileSize >= 0 && indexOffset >= fileSize))) {
            throw new MalformedCarException(headerAt, at + "index offset " + Long.toUnsignedString(indexOffset)
                    + (indexOffset < end ? " overlaps the payload (which ends at " + n(end) + ")" : " is past the end of the file"));
        }
        return new CarV2Header(characteristics, dataOffset, dataSize, indexOffset, headerAt);
    }

    /** Where the CARv1 payload ends. */
    public long payloadEnd() {
        return dataOffset + dataSize;
    }
}
