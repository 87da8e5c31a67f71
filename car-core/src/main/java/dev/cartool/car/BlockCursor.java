package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;

import dev.cartool.block.Block;

/** Blocks of one CAR in file order: {@link CarReader}, or a {@link ParallelVerifier} over one. */
public interface BlockCursor extends Closeable {
    CarHeader header();

    /** The next block, or null at the end. */
    Block next() throws IOException;

    /** Bytes of the CAR consumed so far. */
    long bytesRead();
}
