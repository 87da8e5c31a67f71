package dev.cartool.car;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Varint;

/**
 * Writes a CARv1: the header on creation, then one section per {@link #write} call, in the
 * order given. Closing the writer flushes and closes the stream.
 */
public final class CarWriter implements Closeable {
    private final OutputStream out;
    private long position;

    private CarWriter(OutputStream out, CarHeader header) throws IOException {
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 1 << 16);
        byte[] h = headerBytes(header);
        this.out.write(h);
        position += h.length;
    }

    /** The bytes a CARv1 starts with: the header's length as a varint, then the header. */
    public static byte[] headerBytes(CarHeader header) {
        byte[] h = header.encode();
        byte[] out = new byte[Varint.size(h.length) + h.length];
        System.arraycopy(h, 0, out, Varint.put(h.length, out, 0), h.length);
        return out;
    }

    /** The length of {@link #sectionHead}, without making it. */
    public static int sectionHeadLength(Cid cid, long dataLength) {
        int c = cid.encodedLength();
        return Varint.size(c + dataLength) + c;
    }

    /** What precedes a block's data in its section: the section length as a varint, then the CID. */
    public static byte[] sectionHead(Cid cid, long dataLength) {
        int c = cid.encodedLength();
        byte[] head = new byte[sectionHeadLength(cid, dataLength)];
        cid.copyTo(head, Varint.put(c + dataLength, head, 0));
        return head;
    }

    /** Starts a CARv1 with these roots. */
    public static CarWriter create(OutputStream out, List<Cid> roots) throws IOException {
        return new CarWriter(out, CarHeader.v1(roots));
    }

    /** Appends a section. The data is not checked against the CID. */
    public void write(Cid cid, byte[] data) throws IOException {
        write(cid, data, 0, data.length);
    }

    public void write(Cid cid, byte[] data, int off, int len) throws IOException {
        byte[] head = sectionHead(cid, len);
        out.write(head);
        out.write(data, off, len);
        position += head.length + len;
    }

    /** Appends a section whose data is {@code data}'s remaining bytes (its position is not moved). */
    public void write(Cid cid, java.nio.ByteBuffer data) throws IOException {
        if (data.hasArray()) {
            write(cid, data.array(), data.arrayOffset() + data.position(), data.remaining());
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        write(cid, copy, 0, copy.length);
    }

    public void write(Block block) throws IOException {
        byte[] head = sectionHead(block.cid(), block.length());
        out.write(head);
        block.writeTo(out);
        position += head.length + block.length();
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return position;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
