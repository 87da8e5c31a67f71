package dev.cartool.car;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.cartool.block.Block;

/**
 * Writes a CARv2 around a CARv1 payload, as go-car's {@code car index} does: the 11-byte
 * pragma, the 40-byte header, the payload byte for byte at offset 51 (no padding), then the
 * index. Two passes over the payload: the first reads and verifies every block and builds the
 * index (so the header's sizes are known before anything is written), the second copies the
 * bytes. Output can therefore be any stream, standard output included.
 */
public final class CarV2Writer {
    /** A CARv2's first 11 bytes: a CARv1 header of version 2 with no roots. */
    public static final byte[] PRAGMA = {0x0a, (byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02};
    /** Where the payload goes: right after the pragma and the header. */
    public static final long DATA_OFFSET = PRAGMA.length + CarV2Header.LENGTH;
    /** The "fully indexed" characteristic: bit 7 of the first byte; identity CIDs are then indexed. */
    public static final int FULLY_INDEXED = 0x80;

    private CarV2Writer() {
    }

    /**
     * Reads the payload of {@code file} (a CARv1, or a CARv2 being re-indexed) and returns its
     * index; the caller closes it. Every block is read and verified unless {@code options} trust
     * the input (a CAR this process has just written): then only the section heads are read.
     */
    public static SortedIndexBuilder index(CarFile file, boolean fullyIndexed,
            CarReaderOptions options, int threads) throws IOException {
        SortedIndexBuilder index = new SortedIndexBuilder(fullyIndexed);
        try {
            if (!options.verifyHashes()) {
                CarFile.Scan scan = file.scan();
                SectionRef ref;
                while ((ref = scan.next()) != null) {
                    index.add(ref.cid().multihash(), ref.offset() - file.payloadOffset());
                }
                return index;
            }
            try (CarReader reader = CarReader.open(file.openPayload(), options.trusting());
                    ParallelVerifier blocks = ParallelVerifier.of(reader, threads, ParallelVerifier.DEFAULT_IN_FLIGHT_BYTES)) {
                Block b;
                while ((b = blocks.next()) != null) {
                    index.add(b.cid().multihash(), b.offset());
                }
            }
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    /**
     * Writes {@code file}'s payload as a CARv2 with {@code index} written as {@code codec}
     * (index null: none, index offset 0).
     *
     * @return bytes written
     */
    public static long write(CarFile file, SortedIndexBuilder index, long codec, OutputStream out) throws IOException {
        long size = file.size() - file.payloadOffset();
        byte[] characteristics = new byte[16];
        if (index != null && index.indexesIdentity()) {
            characteristics[0] = (byte) FULLY_INDEXED;
        }
        out.write(PRAGMA);
        out.write(header(characteristics, DATA_OFFSET, size, index != null ? DATA_OFFSET + size : 0));
        long copied;
        try (InputStream payload = file.openPayload()) {
            copied = payload.transferTo(out);
        }
        if (copied != size) {
            throw new TruncatedCarException(file.payloadOffset() + copied, "payload: file ends after "
                    + dev.cartool.io.Text.n(copied) + " of " + dev.cartool.io.Text.n(size) + " bytes (changed while read?)");
        }
        dev.cartool.io.CountingOutputStream counted = new dev.cartool.io.CountingOutputStream(out);
        if (index != null) {
            index.writeTo(codec, counted);
        }
        return DATA_OFFSET + size + counted.count();
    }

    /** The 40-byte header: characteristics, then data offset, data size, index offset as little-endian u64. */
    static byte[] header(byte[] characteristics, long dataOffset, long dataSize, long indexOffset) {
        ByteBuffer h = ByteBuffer.allocate(CarV2Header.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        h.put(characteristics, 0, 16).putLong(dataOffset).putLong(dataSize).putLong(indexOffset);
        return h.array();
    }
}
