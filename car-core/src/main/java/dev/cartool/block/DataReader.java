package dev.cartool.block;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import dev.cartool.cid.Cid;

/**
 * A block source that can read a block's bytes straight into a caller's buffer (a pooled direct
 * buffer, say), verifying them there: no heap copy of the data is made. Bulk readers (file
 * extraction) use it when a source offers it.
 */
public interface DataReader {
    /**
     * Reads the bytes of the block for {@code cid} into {@code into} (cleared first), checks them
     * against the CID, and completes with {@code into} flipped for reading; completes with null if
     * the block is not held, exceptionally if it fails its hash.
     *
     * @throws IllegalArgumentException (in the future) if {@code into} is too small
     */
    CompletableFuture<ByteBuffer> readData(Cid cid, ByteBuffer into);

    /**
     * Reads each block of {@code reads} as {@link #readData(Cid, ByteBuffer)} would, as one piece
     * of work: on another thread where the reader has them, so the caller can go on (walking a
     * file's DAG) while a run of small leaves is read and hashed. Completes {@link DataReads#done()}
     * when every read has its outcome. By default, each in turn on the calling thread.
     */
    default void readData(DataReads reads) {
        reads.readEach((i, cid, into) -> dev.cartool.io.Futures.await(readData(cid, into)));
        reads.done().complete(null);
    }
}
