package dev.cartool.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.cid.IpfsPath;
import dev.cartool.cid.Multicodec;
import dev.cartool.ipld.DagCbor;
import dev.cartool.unixfs.NodeCache;
import dev.cartool.unixfs.PathNotFoundException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;

/**
 * What the handlers ask of the data, over one consistent view of the blocks (a snapshot for
 * one response): resolve a content path, get a block, read a file. Every block it returns has
 * been checked against its CID.
 */
final class Backend {
    private final UnixFsReader reader;

    Backend(BlockSource source, long windowBytes, NodeCache nodes) {
        BlockSource view = source.snapshot();
        nodes.at(view.generation());
        this.reader = new UnixFsReader(view, windowBytes, nodes);
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

    /** Run before a block that may be large is read; null: nothing (a worker's request). */
    private Runnable beforeLargeTarget;

    /**
     * What to do before this request reads (and the first time hashes) a block its file says holds
     * more than {@link Exchange#INLINE_MAX} bytes, or cannot say: the path's last block, a
     * directory, HAMT shard or DAG-CBOR node on the way that the node cache does not hold, and a
     * file's node or leaf read for the body (a leaf checked before is sent from its file, unread).
     * The gateway hands a request answered on the selector thread to a worker there, so the thread
     * every connection waits on never reads a 1 MiB block.
     */
    void beforeLargeTarget(Runnable r) {
        this.beforeLargeTarget = r;
        reader.beforeReading(this::guard);
    }

    private void guard(Cid cid) throws IOException {
        BlockSource s = reader.source();
        if (beforeLargeTarget != null && !cid.isIdentity() && !(s instanceof dev.cartool.block.FileRegions
                && ((dev.cartool.block.FileRegions) s).dataLength(cid) <= Exchange.INLINE_MAX)) {
            beforeLargeTarget.run();
        }
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

    /**
     * Follows a content path across codecs: UnixFS directories (plain or HAMT) by name, DAG-CBOR
     * maps and lists by key and index up to each link. A path that ends inside a DAG-CBOR block,
     * at a value that is not a link, is not served (501, as other gateways); one that names
     * nothing is a {@link PathNotFoundException}.
     */
    Resolved resolve(IpfsPath p) throws IOException, Gateway.Status {
        List<Cid> passed = new ArrayList<>();
        List<Cid> roots = new ArrayList<>();
        Cid at = p.cid();
        roots.add(at);
        List<String> rest = p.segments();
        StringBuilder walked = new StringBuilder();
        while (!rest.isEmpty()) {
            String seg = rest.get(0);
            if (at.codec() == Multicodec.DAG_CBOR) {
                guard(at); // read every time: DAG-CBOR nodes are not cached
                DagCbor.Step step = DagCbor.follow(block(at).data(), rest);
                if (!step.found()) {
                    throw new PathNotFoundException(at, walked.toString(), rest.get(step.consumed()));
                }
                if (step.link() == null) {
                    throw new Gateway.Status(501, "'" + String.join("/", rest) + "' ends inside " + at
                            + ": reading IPLD Kinds other than Links (CBOR Tag 42) is not implemented");
                }
                passed.add(at);
                for (String s : rest.subList(0, step.consumed())) {
                    walked.append('/').append(s);
                }
                rest = rest.subList(step.consumed(), rest.size());
                at = step.link();
                roots.add(at);
                continue;
            }
            UnixFsNode node = at.codec() == Multicodec.DAG_PB ? reader.loadIfUnixFs(at) : null;
            if (at.codec() == Multicodec.DAG_PB && node == null) {
                // The block is sound; this gateway only paths through DAG-PB as UnixFS.
                throw new Gateway.Status(501, "pathing through " + at + ", DAG-PB that is not UnixFS, is not supported");
            }
            if (node == null && at.codec() != Multicodec.DAG_PB) {
                guard(at);
                block(at); // a missing block says so before the path does
            }
            if (node == null || node.kind() != UnixFsNode.Kind.DIRECTORY) {
                throw new PathNotFoundException(at, walked.toString(), seg); // nothing below a file or a raw block
            }
            passed.add(at);
            Cid next = reader.lookup(node, seg, passed::add);
            if (next == null) {
                throw new PathNotFoundException(at, walked.toString(), seg);
            }
            walked.append('/').append(seg);
            rest = rest.subList(1, rest.size());
            at = next;
            roots.add(at);
        }
        UnixFsNode target;
        if (at.codec() == Multicodec.DAG_PB) {
            target = reader.loadIfUnixFs(at); // guarded by the hook when the cache lacks it
        } else {
            guard(at);
            target = UnixFsNode.ifUnixFs(block(at));
        }
        return new Resolved(at, passed, roots, target);
    }
}
