package dev.cartool.unixfs.importer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.car.DfsOrder;
import dev.cartool.cid.Cid;

/**
 * A node of a DAG built by the {@link Importer}, held without its file data: interior nodes
 * keep their (small) encoded block; leaves keep where their bytes are in the input file, so a
 * writer can read them again by position.
 */
public abstract class DagNode {
    private final Cid cid;
    private final long tsize;
    private final long contentSize;

    DagNode(Cid cid, long tsize, long contentSize) {
        this.cid = cid;
        this.tsize = tsize;
        this.contentSize = contentSize;
    }

    public Cid cid() {
        return cid;
    }

    /** The cumulative size a parent's link records (Tsize). */
    public long tsize() {
        return tsize;
    }

    /** Bytes of file content under this node (what a parent's blocksizes records). */
    public long contentSize() {
        return contentSize;
    }

    /**
     * The nodes under {@code root} in {@link DfsOrder}, the order every CAR is written in. With
     * {@code eachBlockOnce} this is what {@code ipfs dag export} writes: a block met again is
     * skipped, with everything under it. Without it, every node of the tree, repeats included.
     */
    public static Iterable<DagNode> preOrder(DagNode root, boolean eachBlockOnce) {
        return DfsOrder.of(root, n -> n instanceof Node ? ((Node) n).children() : List.of(),
                eachBlockOnce ? DagNode::cid : null);
    }

    /** A leaf: a chunk of an input file, stored raw or wrapped in a UnixFS file node (CIDv0). */
    public static final class Leaf extends DagNode {
        private final Path file;
        private final long offset;
        private final int length;
        private final boolean wrapped;
        private final FileStamp stamp;

        Leaf(Cid cid, long tsize, Path file, long offset, int length, boolean wrapped, FileStamp stamp) {
            super(cid, tsize, length);
            this.file = file;
            this.offset = offset;
            this.length = length;
            this.wrapped = wrapped;
            this.stamp = stamp;
        }

        /** The input file's size and modification time when it was hashed. */
        public FileStamp stamp() {
            return stamp;
        }

        public Path file() {
            return file;
        }

        public long offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /** True for a DAG-PB leaf (UnixFS file node holding the chunk), false for a raw leaf. */
        public boolean wrapped() {
            return wrapped;
        }
    }

    /**
     * A file's size and modification time, to tell whether it changed between hashing and
     * writing.
     */
    public record FileStamp(long size, java.nio.file.attribute.FileTime modified) {
        public static FileStamp of(Path p) throws java.io.IOException {
            return new FileStamp(java.nio.file.Files.size(p), java.nio.file.Files.getLastModifiedTime(p));
        }

        // Written out: a record's own equals and hashCode are linked at their first call through
        // ObjectMethods, which spun 20 method-handle classes in every cid and pack (at start-up).
        @Override
        public boolean equals(Object o) {
            return o instanceof FileStamp f && f.size == size && java.util.Objects.equals(f.modified, modified);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + java.util.Objects.hashCode(modified);
        }
    }

    /** An interior node, directory, HAMT shard or symlink, with its encoded block. */
    public static final class Node extends DagNode {
        private final byte[] block;
        private final List<DagNode> children;

        Node(Cid cid, byte[] block, List<DagNode> children, long contentSize) {
            super(cid, tsizeOf(block, children), contentSize);
            this.block = block;
            this.children = List.copyOf(children);
        }

        private static long tsizeOf(byte[] block, List<DagNode> children) {
            long t = block.length;
            for (DagNode c : children) {
                t += c.tsize();
            }
            return t;
        }

        public byte[] block() {
            return block.clone();
        }

        /** The encoded block, as a read-only view (no copy). */
        public ByteBuffer blockBuffer() {
            return ByteBuffer.wrap(block).asReadOnlyBuffer();
        }

        /** Bytes of the encoded block. */
        public int blockLength() {
            return block.length;
        }

        /** The linked nodes in link order. */
        public List<DagNode> children() {
            return children;
        }
    }
}
