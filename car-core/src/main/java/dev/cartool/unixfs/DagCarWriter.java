package dev.cartool.unixfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

import dev.cartool.car.CarWriter;

/**
 * Writes an imported DAG as {@code ipfs dag export} does: depth-first, pre-order, links in
 * order, each block once. Interior nodes come from memory; leaf bytes are read again from the
 * input files by position, after checking that each file still has the size and modification
 * time it had when it was hashed.
 */
public final class DagCarWriter {
    private DagCarWriter() {
    }

    /** @return the number of blocks written */
    public static long write(DagNode root, CarWriter out, LongConsumer progress) throws IOException {
        long blocks = 0;
        Path openPath = null;
        FileChannel open = null;
        byte[] buf = new byte[0];
        try {
            for (DagNode n : DagNode.preOrder(root, true)) {
                blocks++;
                if (n instanceof DagNode.Node) {
                    DagNode.Node node = (DagNode.Node) n;
                    out.write(node.cid(), node.blockUnsafe());
                    continue;
                }
                DagNode.Leaf leaf = (DagNode.Leaf) n;
                if (!leaf.file().equals(openPath)) {
                    if (open != null) {
                        open.close();
                    }
                    if (!leaf.stamp().equals(DagNode.FileStamp.of(leaf.file()))) {
                        throw new IOException(leaf.file() + ": changed after it was hashed; pack it again");
                    }
                    open = FileChannel.open(leaf.file(), StandardOpenOption.READ);
                    openPath = leaf.file();
                }
                if (buf.length < leaf.length()) {
                    buf = new byte[leaf.length()];
                }
                ByteBuffer b = ByteBuffer.wrap(buf, 0, leaf.length());
                while (b.hasRemaining()) {
                    if (open.read(b, leaf.offset() + b.position()) < 0) {
                        throw new IOException(leaf.file() + ": shorter than when it was hashed");
                    }
                }
                if (leaf.wrapped()) {
                    out.write(leaf.cid(), Importer.wrapLeaf(java.util.Arrays.copyOf(buf, leaf.length())));
                } else {
                    out.write(leaf.cid(), buf, 0, leaf.length());
                }
                progress.accept(leaf.length());
            }
        } finally {
            if (open != null) {
                open.close();
            }
        }
        return blocks;
    }
}
