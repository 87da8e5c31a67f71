package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import dev.cartool.block.Block;
import dev.cartool.block.BlockVerifier;
import dev.cartool.cid.Cid;

/**
 * A streaming cursor over a CARv1: the header is read on open, then {@link #next()} returns
 * each block in file order with its offset, and null at the end. Only one section is held at a
 * time; every length is checked against the limits before anything is allocated for it.
 *
 * <p>Hashes are checked by default. To hash on several cores, open with
 * {@link CarReaderOptions#trusting()} and wrap the reader in a {@link ParallelVerifier}.
 */
public final class CarReader implements BlockCursor {
    /** Reads of a claimed length start at this size and grow as the bytes actually arrive. */
    private static final int INITIAL_CHUNK = 1 << 20;

    private final InputStream in;
    private final CarReaderOptions options;
    private final CarHeader header;
    private long position;
    private boolean done;
    private CarV2Header v2;

    private CarReader(InputStream in, CarReaderOptions options) throws IOException {
        this.in = in;
        this.options = options;
        this.header = readHeader();
    }

    /** Opens a reader with the default options (verifying, go-car's limits). */
    public static CarReader open(InputStream in) throws IOException {
        return open(in, CarReaderOptions.DEFAULTS);
    }

    /**
     * Opens a reader and reads the header. The stream is buffered here; closing the reader
     * closes it.
     *
     * @throws UnsupportedCarException for a version other than 1 or 2 (a CARv2's payload is read;
     *     block offsets are the file's)
     */
    public static CarReader open(InputStream in, CarReaderOptions options) throws IOException {
        return new CarReader(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16),
                options);
    }

    public CarHeader header() {
        return header;
    }

    /** Bytes consumed so far: the offset of the next section. */
    public long bytesRead() {
        return position;
    }

    public CarReaderOptions options() {
        return options;
    }

    private CarHeader readHeader() throws IOException {
        CarHeader h = readV1Header(0);
        if (h.version() == 2) {
            // The pragma: a CARv2's fixed header, then its CARv1 payload at the data offset.
            long at = position;
            v2 = CarV2Header.decode(readExactly(CarV2Header.LENGTH, "CARv2 header", at), at, -1);
            skipTo(v2.dataOffset());
            h = readV1Header(position);
            if (h.version() == 2) {
                throw new MalformedCarException(v2.dataOffset(), "the CARv2 payload at offset " + n(v2.dataOffset())
                        + " is itself a CARv2");
            }
        }
        return SectionHead.checkVersion(h);
    }

    private CarHeader readV1Header(long start) throws IOException {
        long length = readLength("header", start, false);
        if (length < 0) {
            // The words CarFile uses: whichever way a CAR is read, the same damage reads the same.
            throw new TruncatedCarException(start, start == 0 ? "empty file: no CAR header"
                    : "CARv2 payload at offset " + n(start) + " is empty: no CAR header");
        }
        SectionHead.checkHeader(length, options);
        long at = position;
        byte[] bytes = readExactly((int) length, "header", start);
        return CarHeader.decode(bytes, at);
    }

    private void skipTo(long offset) throws IOException {
        while (position < offset) {
            long n = in.skip(offset - position);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new TruncatedCarException(position, "CARv2 payload at offset " + n(offset)
                            + ": data ends at " + n(position));
                }
                n = 1;
            }
            position += n;
        }
    }

    /** The CARv2 header when the input is a CARv2 (its payload is what this reader reads), else null. */
    public CarV2Header v2() {
        return v2;
    }

    /**
     * After the payload has been read to its end: the multicodec of a CARv2's index (go-car's
     * IndexSorted 0x0400 or MultihashIndexSorted 0x0401), read from the stream at the index
     * offset; -1 for a CARv1 or a CARv2 without an index.
     */
    public long indexCodec() throws IOException {
        InputStream index = indexStream();
        if (index == null) {
            return -1;
        }
        return SectionHead.length(index::read, "index", v2.indexOffset(), true);
    }

    /**
     * After the payload has been read to its end: the stream from a CARv2's index offset on
     * (the index's codec varint first); null for a CARv1 or a CARv2 without an index. Call once.
     */
    public InputStream indexStream() throws IOException {
        if (v2 == null || v2.indexOffset() == 0) {
            return null;
        }
        if (!done) {
            throw new IllegalStateException("the payload has not been read to its end");
        }
        skipTo(v2.indexOffset());
        return in;
    }

    /**
     * The next block, or null at the end of the data.
     *
     * @throws TruncatedCarException if the data ends inside a section
     * @throws MalformedCarException if a section is malformed or over the limit
     * @throws BlockIntegrityException if verifying and the block does not match its CID
     */
    public Block next() throws IOException {
        if (done) {
            return null;
        }
        long start = position;
        if (v2 != null && start >= v2.payloadEnd()) {
            done = true; // what follows the payload (padding, the index) is not sections
            return null;
        }
        long length = readLength("section", start, false);
        if (length < 0 && v2 != null) {
            throw new TruncatedCarException(start, "CARv2 payload: data ends at offset " + n(start)
                    + ", before the " + n(v2.payloadEnd()) + " its header gives");
        }
        if (length < 0 || SectionHead.checkSection(start, length, options) < 0) {
            done = true;
            return null;
        }
        int len = (int) length;
        if (v2 != null && position + len > v2.payloadEnd()) {
            throw new MalformedCarException(start, "section at offset " + n(start) + " runs past the end of the"
                    + " CARv2 payload at " + n(v2.payloadEnd()));
        }
        byte[] section = readExactly(len, "section", start);
        Cid cid = SectionHead.cid(section, 0, len, start);
        int cidLength = cid.encodedLength();
        Block block = Block.fromSection(cid, section, cidLength, len - cidLength, start, position - start);
        if (options.verifyHashes()) {
            BlockVerifier.verify(block);
        }
        return block;
    }

    /** Reads a length varint; -1 on a clean end of input when {@code required} is false. */
    private long readLength(String what, long start, boolean required) throws IOException {
        return SectionHead.length(counted, what, start, required);
    }

    /**
     * The input a byte at a time, counted. A class, not a lambda: one object a reader instead of
     * one a section, and {@code car roots} starts no method-handle machinery (~3 ms of its 50).
     */
    private final SectionHead.Bytes counted = new SectionHead.Bytes() {
        @Override
        public int next() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }
    };

    /**
     * Reads exactly {@code len} bytes. A large claimed length is not trusted: the buffer grows
     * as data arrives, so a short input never costs the claimed allocation.
     */
    private byte[] readExactly(int len, String what, long start) throws IOException {
        byte[] buf = new byte[Math.min(len, INITIAL_CHUNK)];
        int filled = 0;
        while (filled < len) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(len, 2L * buf.length));
            }
            int r;
            try {
                r = in.read(buf, filled, buf.length - filled);
            } catch (EOFException e) {
                r = -1;
            }
            if (r < 0) {
                position += filled;
                throw new TruncatedCarException(start, what + " at offset " + n(start)
                        + ": data ends after " + n(filled) + " of " + n(len) + " bytes");
            }
            filled += r;
        }
        position += len;
        return buf;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
