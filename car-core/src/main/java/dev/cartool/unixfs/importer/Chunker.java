package dev.cartool.unixfs.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

import dev.cartool.io.BufferPool;
import dev.cartool.io.Futures;
import dev.cartool.io.Preads;
import dev.cartool.io.Workers;

/**
 * Cuts a file into fixed-size chunks and hashes them into leaves: chunks are read by position
 * into pooled direct buffers and hashed on a lane of the shared workers, at most
 * {@value #IN_FLIGHT_CHUNKS} at once; a buffer comes back to the pool once its leaf is taken, or
 * as soon as it is hashed when nothing keeps the chunk.
 */
final class Chunker {
    static final int IN_FLIGHT_CHUNKS = 32;

    private final Blocks blocks;
    private final Workers.Lane pool;
    private final LongConsumer progress;
    private BufferPool buffers;
    private long buffersBudget;
    private boolean buffersAllInUse;

    Chunker(Blocks blocks, Workers.Lane pool, LongConsumer progress) {
        this.blocks = blocks;
        this.pool = pool;
        this.progress = progress;
    }

    /**
     * A chunk being read and hashed: its buffer comes back once its leaf is taken (null: the
     * task gives it back itself, as nothing keeps the chunk).
     */
    private record Hashing(Future<Blocks.LeafBlock> result, ByteBuffer buffer) {
    }

    /**
     * Reads {@code p} in chunks of {@code chunk} bytes and hashes them on the lane, handing each
     * leaf's block to {@code sink} (if any) in file order on the calling thread: a writer is never
     * two threads contending for the output file (measured: they spun on its inode lock).
     *
     * @return the leaves, in order
     */
    List<DagNode> leaves(Path p, int chunk, Importer.LeafSink sink) throws IOException {
        return leaves(p, 0, -1, chunk, sink);
    }

    /**
     * As above, for the {@code size} bytes of {@code p} at {@code base} (size -1: the whole file):
     * a file inside a tar archive is such a region, and its leaves point into the archive.
     */
    List<DagNode> leaves(Path p, long base, long regionSize, int chunk, Importer.LeafSink sink) throws IOException {
        DagNode.FileStamp stamp = DagNode.FileStamp.of(p);
        long size = regionSize < 0 ? stamp.size() : regionSize;
        long count = Math.max(1, (size + chunk - 1) / chunk); // the empty file is one empty leaf
        List<DagNode> leaves = new ArrayList<>((int) Math.min(count, 1 << 20));
        // Chunk buffers are recycled across files: a leaf keeps its CID and position, not its bytes.
        BufferPool free = buffers(chunk, sink != null);
        Deque<Hashing> pending = new ArrayDeque<>();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            for (long i = 0; i < count; i++) {
                if (pending.size() >= IN_FLIGHT_CHUNKS) {
                    take(pending.poll(), pending, leaves, free, sink);
                }
                long at = base + i * chunk;
                int n = (int) Math.min(chunk, size - i * chunk);
                // A chunk a sink writes stays in its buffer until its leaf is taken. Otherwise
                // nothing keeps it once hashed: the task gives its buffer back at once, and a
                // worker reads into the buffer it has just hashed, still in its cache (held until
                // taken, the 33 buffers took turns and each was out of cache by its next read: the
                // kernel's copy into them was 16.5% of cid's samples).
                ByteBuffer held = sink != null ? free.acquire(chunk) : null;
                java.util.concurrent.Callable<Blocks.LeafBlock> task = () -> {
                    ByteBuffer buf = held != null ? held : free.acquire(chunk);
                    try {
                        readAt(ch, buf, at, n, p);
                        return blocks.leaf(p, at, buf, n, stamp, held != null);
                    } finally {
                        if (held == null) {
                            free.release(buf);
                        }
                    }
                };
                pending.add(new Hashing(pool != null ? pool.submit(task) : done(task), held));
            }
            while (!pending.isEmpty()) {
                take(pending.poll(), pending, leaves, free, sink);
            }
            if (ch.size() != stamp.size() || !stamp.equals(DagNode.FileStamp.of(p))) {
                throw new IOException(p + ": changed while it was read");
            }
        } finally {
            for (Hashing h : pending) {
                h.result.cancel(false); // a buffer still in use is dropped, never reused
            }
        }
        return leaves;
    }

    /**
     * The chunk buffers, enough for every chunk in flight; made again if the chunk size changed.
     * They are cut from slabs on huge pages ({@link BufferPool#slabbed}). With a sink every chunk
     * keeps its buffer until its leaf is taken, so all are used, and made at once: pack of 64 MiB
     * 0.416 -> 0.361 s (12 alternating runs; 2,054 page faults on the reading thread before), 1
     * GiB 1.80 -> 1.56 s (6, with the writer's buffers on slabs too). Without, a buffer is back as
     * soon as its chunk is hashed and a few take turns: slabs of 2 MiB of them. cid of 1 GiB 0.858
     * -> 0.814 s (8 alternating runs; the kernel's copy lands in huge pages); all 33 at once, 0.754
     * -> 0.722 s in another hour, and 10 MiB more. Made again too if that changed (a chunker
     * serves one command, which always passes a sink or never).
     */
    private BufferPool buffers(int chunk, boolean allInUse) {
        long budget = (long) (IN_FLIGHT_CHUNKS + 1) * BufferPool.sizeClass(chunk);
        if (buffers == null || buffersBudget != budget || buffersAllInUse != allInUse) {
            buffers = BufferPool.slabbed(budget, allInUse ? budget : 2 << 20);
            buffersBudget = budget;
            buffersAllInUse = allInUse;
        }
        return buffers;
    }

    private void take(Hashing h, Deque<Hashing> later, List<DagNode> leaves, BufferPool free, Importer.LeafSink sink)
            throws IOException {
        Futures.awaitHalfway(h.result, later, Hashing::result);
        Blocks.LeafBlock r = Futures.await(h.result);
        leaves.add(r.leaf());
        if (sink != null) {
            sink.accept(r.leaf(), r.block());
        }
        if (h.buffer != null) {
            free.release(h.buffer);
        }
        progress.accept(r.leaf().length());
    }

    private static <T> Future<T> done(java.util.concurrent.Callable<T> task) throws IOException {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(task.call());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Reads exactly {@code n} bytes at {@code at} into {@code b}, flipped for reading. */
    private static void readAt(FileChannel ch, ByteBuffer b, long at, int n, Path p) throws IOException {
        b.clear().limit(n);
        if (!Preads.readFully(ch, b, at)) {
            throw new IOException(p + ": changed while it was read (shorter than " + (at + n) + " bytes)");
        }
        b.flip();
    }
}
