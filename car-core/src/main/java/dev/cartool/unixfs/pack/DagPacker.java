package dev.cartool.unixfs.pack;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.LongConsumer;

import dev.cartool.car.CarHeader;
import dev.cartool.car.CarWriter;
import dev.cartool.io.AlignedWriter;
import dev.cartool.io.AtomicFile;
import dev.cartool.io.Preads;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.Importer;

/**
 * Writes an imported DAG as {@code ipfs dag export} does: depth-first, pre-order, links in
 * order, each block once. Interior nodes come from memory; leaf bytes are read again from the
 * input files by position, after checking that each file still has the size and modification
 * time it had when it was hashed.
 */
public final class DagPacker {
    private DagPacker() {
    }

    /**
     * Writes to a stream (standard output).
     *
     * @return the number of blocks written
     */
    public static long write(DagNode root, CarWriter out, LongConsumer progress) throws IOException {
        long blocks = 0;
        ByteBuffer buf = ByteBuffer.allocate(0);
        try (Leaves leaves = new Leaves()) {
            for (DagNode n : DagNode.preOrder(root, true)) {
                blocks++;
                if (n instanceof DagNode.Node) {
                    out.write(n.cid(), ((DagNode.Node) n).blockBuffer());
                    continue;
                }
                DagNode.Leaf leaf = (DagNode.Leaf) n;
                buf = leaves.read(leaf, buf, false);
                ByteBuffer block = leaves.block(leaf, buf);
                out.write(leaf.cid(), block.array(), block.arrayOffset() + block.position(), block.remaining());
                progress.accept(leaf.length());
            }
        }
        return blocks;
    }

    /**
     * Writes a whole CAR to {@code out}, which appears only once complete (a temporary file beside
     * it is renamed into place).
     *
     * @param replace whether an existing {@code out} may be replaced
     * @return the number of blocks written
     */
    public static long write(DagNode root, Path out, boolean replace, LongConsumer progress) throws IOException {
        try (AtomicFile f = AtomicFile.create(out, replace)) {
            long n = write(root, f, progress);
            f.commit();
            return n;
        }
    }

    /**
     * Writes a whole CAR to a staged file (not committed): leaves are read into a direct buffer
     * and the sections go out in aligned writes ({@link AlignedWriter}).
     */
    static long write(DagNode root, AtomicFile out, LongConsumer progress) throws IOException {
        AlignedWriter w = new AlignedWriter(out);
        ByteBuffer header = ByteBuffer.wrap(CarWriter.headerBytes(CarHeader.v1(List.of(root.cid()))));
        long pos = header.remaining();
        w.put(header, 0);
        long blocks = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(0);
        try (Leaves leaves = new Leaves()) {
            for (DagNode n : DagNode.preOrder(root, true)) {
                blocks++;
                ByteBuffer block;
                if (n instanceof DagNode.Node) {
                    block = ((DagNode.Node) n).blockBuffer();
                } else {
                    buf = leaves.read((DagNode.Leaf) n, buf, true);
                    block = leaves.block((DagNode.Leaf) n, buf);
                }
                ByteBuffer head = ByteBuffer.wrap(CarWriter.sectionHead(n.cid(), block.remaining()));
                int length = head.remaining() + block.remaining();
                w.put(head, pos);
                w.put(block, pos + head.remaining());
                pos += length;
                if (n instanceof DagNode.Leaf) {
                    progress.accept(((DagNode.Leaf) n).length());
                }
            }
        }
        w.finish();
        return blocks;
    }

    /** Reads leaves from their input files, one open file at a time. */
    private static final class Leaves implements Closeable {
        private Path openPath;
        private FileChannel open;

        /** Reads a leaf's chunk into {@code buf} (or a larger buffer, returned), flipped. */
        ByteBuffer read(DagNode.Leaf leaf, ByteBuffer buf, boolean direct) throws IOException {
            if (!leaf.file().equals(openPath)) {
                close();
                if (!leaf.stamp().equals(DagNode.FileStamp.of(leaf.file()))) {
                    throw new IOException(leaf.file() + ": changed after it was hashed; pack it again");
                }
                open = FileChannel.open(leaf.file(), StandardOpenOption.READ);
                openPath = leaf.file();
            }
            if (buf.capacity() < leaf.length()) {
                int cap = Math.max(leaf.length(), 262_144);
                buf = direct ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
            }
            buf.clear().limit(leaf.length());
            if (!Preads.readFully(open, buf, leaf.offset())) {
                throw new IOException(leaf.file() + ": shorter than when it was hashed");
            }
            return buf.flip();
        }

        /** The leaf's block: the chunk itself, or (CIDv0) the UnixFS node holding it. */
        ByteBuffer block(DagNode.Leaf leaf, ByteBuffer chunk) {
            if (!leaf.wrapped()) {
                return chunk;
            }
            byte[] data = new byte[chunk.remaining()];
            chunk.duplicate().get(data);
            return ByteBuffer.wrap(Importer.wrapLeaf(data));
        }

        @Override
        public void close() throws IOException {
            if (open != null) {
                open.close();
                open = null;
                openPath = null;
            }
        }
    }
}
