package dev.cartool.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.IpfsPath;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;

/**
 * What the handlers ask of the data, over one consistent view of the blocks (a snapshot for
 * one response): resolve a content path, get a block, read a file. Every block it returns has
 * been checked against its CID.
 */
final class Backend {
    private final UnixFsReader reader;

    Backend(BlockSource source, long windowBytes) {
        this.reader = new UnixFsReader(source.snapshot(), windowBytes);
    }

    UnixFsReader reader() {
        return reader;
    }

    BlockSource source() {
        return reader.source();
    }

    /** Whether the root block of a request is here, without reading it (only-if-cached). */
    boolean has(Cid cid) throws IOException {
        return cid.isIdentity() || reader.source().get(cid) != null;
    }

    /** The block for {@code cid}, checked; a missing block is a {@link MissingBlockException}. */
    Block block(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        Block b = reader.source().get(cid);
        if (b == null) {
            throw new MissingBlockException(cid, "block " + cid + " is not held here");
        }
        return b;
    }

    /**
     * The end of a content path.
     *
     * @param path every block passed on the way, in order (directories and HAMT shards), before
     *     the target: what a client needs to verify the path
     * @param roots the CID of the root and of each path segment's node: {@code X-Ipfs-Roots}
     * @param target the node the path names (UnixFS), or null when the path is the bare CID of a
     *     block that is not UnixFS
     */
    record Resolved(Cid cid, List<Cid> path, List<Cid> roots, UnixFsNode target) {
    }

    Resolved resolve(IpfsPath p) throws IOException {
        if (p.segments().isEmpty()) {
            Block b = block(p.cid());
            UnixFsNode node = isUnixFs(b) ? UnixFsNode.of(b) : null;
            return new Resolved(p.cid(), List.of(), List.of(p.cid()), node);
        }
        List<Cid> passed = new ArrayList<>();
        List<Cid> roots = new ArrayList<>();
        roots.add(p.cid());
        UnixFsNode node = reader.resolve(p.cid(), p.segments(), new UnixFsReader.PathWalk() {
            @Override
            public void passed(Cid block) {
                passed.add(block);
            }

            @Override
            public void stepped(String segment, Cid to) {
                roots.add(to);
            }
        });
        return new Resolved(node.cid(), passed, roots, node);
    }

    private static boolean isUnixFs(Block b) {
        long codec = b.cid().codec();
        if (codec != dev.cartool.cid.Multicodec.DAG_PB && codec != dev.cartool.cid.Multicodec.RAW) {
            return false;
        }
        try {
            UnixFsNode.of(b);
            return true;
        } catch (dev.cartool.block.MalformedBlockException e) {
            return false;
        }
    }
}
