package dev.cartool.unixfs.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.cartool.car.CarHeader;
import dev.cartool.car.CarWriter;
import dev.cartool.cid.Cid;
import dev.cartool.io.AlignedWriter;
import dev.cartool.io.AtomicFile;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.Importer;

/**
 * Packs one regular file (alone, or wrapped in a directory) into a CARv1 in
 * {@code ipfs dag export} order while reading the file once.
 *
 * <p>The export order puts the root first and every leaf after the interior nodes above it, so a
 * streaming writer would have to hold the leaves or read them twice. But the shape of a file's
 * DAG, and the size of every block in it, follow from the file's size alone: CIDs of one kind
 * have one length, and a node's Tsizes and blocksizes are sums of sizes. So the section of every
 * leaf has a known offset before anything is hashed ({@link Importer#planFile}). Each chunk is
 * written there, in file order, from the buffer it was read into as soon as it is hashed; the
 * interior nodes and the header fill their gaps at the end.
 *
 * <p>The plan assumes every block is exported once in tree order, which fails when a file
 * repeats a chunk (a file of zeros has one distinct leaf): the export then skips the repeats and
 * every later offset moves. Writing stops at the first repeated leaf (hashing goes on), and the
 * final walk over the real DAG checks each leaf's offset against the plan besides; in both
 * cases the output is discarded and written again in two passes ({@link DagPacker},
 * re-reading leaves by position), so the bytes are the same either way.
 */
public final class FilePacker {
    /**
     * Bytes of buffers, beyond the one filling and the one being written, for a CAR written past
     * the page cache: blocks wait for the disk in them instead of in the thread taking leaves.
     * Measured on 1 GiB: with none, 1,061 against 969 ms through the cache on one host; with
     * 16 MiB, 898 against 890 there (docs/benchmarks.md).
     */
    private static final long PLACE_AHEAD = 16L << 20;

    private FilePacker() {
    }

    /** What {@link #pack} did: the root, and whether the file was read once (false: twice). */
    public record Packed(DagNode root, boolean singleRead) {
    }

    /**
     * Writes the CAR of {@code file} to {@code out}, which appears only once complete (a
     * temporary file beside it is renamed into place). Progress is the importer's: bytes hashed,
     * each written right after.
     *
     * @param wrapName null for the file itself, or the name to wrap it under ({@code ipfs add -w})
     * @param replace whether an existing {@code out} may be replaced
     */
    public static Packed pack(Importer importer, Path file, String wrapName, Path out, boolean replace)
            throws IOException {
        try (AtomicFile f = AtomicFile.create(out, replace)) {
            Packed p = pack(importer, file, wrapName, f);
            f.commit();
            return p;
        }
    }

    /** As {@link #pack(Importer, Path, String, Path, boolean)}, to a staged file left uncommitted. */
    static Packed pack(Importer importer, Path file, String wrapName, AtomicFile out) throws IOException {
        DagNode plan = importer.planFile(Files.size(file));
        if (wrapName != null) {
            plan = importer.wrapOne(wrapName, plan);
        }
        int chunk = importer.chunkSize();
        int headerLength = CarWriter.headerBytes(CarHeader.v1(List.of(plan.cid()))).length;
        long[] leafAt = leafOffsets(plan, headerLength);

        // Leaves arrive in file order, so their sections go out through large aligned writes,
        // the gaps (interior nodes, header) zero until fillGaps writes them. A CAR of 16 MiB or
        // more goes past the page cache where the file system allows it (see AlignedWriter): on a
        // host where filling the cache was 0.9 CPU-s per GiB, 1 GiB packed in 1.37 s against 2.46.
        // The first repeated chunk ends the writing (the plan no longer holds); hashing goes on.
        AlignedWriter direct = plan.tsize() >= AlignedWriter.BYPASS_CACHE_FROM
                ? AlignedWriter.bypassingCache(out, PLACE_AHEAD) : null;
        Set<Cid> leaves = new HashSet<>();
        boolean[] repeated = {false};
        DagNode fileRoot;
        try (AlignedWriter staged = direct != null ? direct : new AlignedWriter(out)) {
            fileRoot = importer.file(file, (leaf, block) -> {
                long ordinal = leaf.offset() / chunk;
                if (ordinal >= leafAt.length) {
                    throw new IOException(file + ": grew while it was read");
                }
                if (repeated[0] || !leaves.add(leaf.cid())) {
                    repeated[0] = true;
                    return;
                }
                ByteBuffer head = ByteBuffer.wrap(CarWriter.sectionHead(leaf.cid(), block.remaining()));
                long at = leafAt[(int) ordinal];
                staged.put(head, at);
                staged.put(block, at + head.capacity());
            });
            staged.finish();
        }
        DagNode root = wrapName != null ? importer.wrapOne(wrapName, fileRoot) : fileRoot;

        if (repeated[0] || !fillGaps(root, leafAt, headerLength, chunk, out)) {
            out.reset();
            DagPacker.write(root, out, n -> { });
            return new Packed(root, false);
        }
        out.writeAt(ByteBuffer.wrap(CarWriter.headerBytes(CarHeader.v1(List.of(root.cid())))), 0);
        return new Packed(root, true);
    }

    /** Where each leaf's section starts, in file order, walking the tree as the export will. */
    private static long[] leafOffsets(DagNode plan, long start) {
        long count = 0;
        for (DagNode n : DagNode.preOrder(plan, false)) {
            if (n instanceof DagNode.Leaf) {
                count++;
            }
        }
        long[] at = new long[Math.toIntExact(count)];
        int i = 0;
        long pos = start;
        for (DagNode n : DagNode.preOrder(plan, false)) {
            if (n instanceof DagNode.Leaf) {
                at[i++] = pos;
            }
            pos += sectionLength(n);
        }
        return at;
    }

    /**
     * Walks the real DAG in export order (each block once), writing the interior nodes where the
     * walk puts them; false, having written nothing more, as soon as a leaf is not where the
     * plan put it (a repeated block, skipped by the export, moves every later one).
     */
    private static boolean fillGaps(DagNode root, long[] leafAt, long start, int chunk, AtomicFile out)
            throws IOException {
        long pos = start;
        int leaves = 0;
        for (DagNode n : DagNode.preOrder(root, true)) {
            if (n instanceof DagNode.Leaf) {
                DagNode.Leaf leaf = (DagNode.Leaf) n;
                long ordinal = leaf.offset() / chunk;
                if (ordinal != leaves || ordinal >= leafAt.length || leafAt[leaves] != pos) {
                    return false;
                }
                leaves++;
            } else {
                ByteBuffer block = ((DagNode.Node) n).blockBuffer();
                byte[] head = CarWriter.sectionHead(n.cid(), block.remaining());
                out.writeAt(ByteBuffer.wrap(head), pos);
                out.writeAt(block, pos + head.length);
            }
            pos += sectionLength(n);
        }
        return leaves == leafAt.length && out.size() == pos;
    }

    private static long sectionLength(DagNode n) {
        long block = n instanceof DagNode.Leaf ? n.tsize() : ((DagNode.Node) n).blockLength();
        return CarWriter.sectionHeadLength(n.cid(), block) + block;
    }
}
