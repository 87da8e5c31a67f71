package dev.cartool.car;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

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
        byte[] h = header.encode();
        writeVarint(h.length);
        this.out.write(h);
        position += h.length;
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
        byte[] c = cid.toBytes();
        writeVarint((long) c.length + len);
        out.write(c);
        out.write(data, off, len);
        position += c.length + len;
    }

    public void write(Block block) throws IOException {
        write(block.cid(), block.array(), block.arrayOffset(), block.length());
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return position;
    }

    private void writeVarint(long v) throws IOException {
        byte[] b = Varint.encode(v);
        out.write(b);
        position += b.length;
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
