package dev.cartool.car;

import java.io.IOException;

import dev.cartool.cid.Multihash;

/**
 * Where blocks are in one CAR's data, by multihash: the one lookup a {@link CarFileSource} reads
 * through. A source builds one in memory by scanning when it is given none; the store keeps one
 * on disk beside each CAR; a CARv2 index (MultihashIndexSorted) is one more of the same kind.
 * Blocks are matched by multihash, as go-car's indexes do: a CIDv0 and its CIDv1 find one block.
 */
@FunctionalInterface
public interface CarIndex {
    /**
     * The offset (from the start of the CARv1 data) of the section holding the block with this
     * multihash, or -1 if the index does not list it. What is at that offset is checked by the
     * reader: an index cannot make a block verify.
     */
    long offsetOf(Multihash mh) throws IOException;
}
