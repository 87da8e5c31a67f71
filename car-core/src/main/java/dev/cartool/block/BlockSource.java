package dev.cartool.block;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import dev.cartool.cid.Cid;

/** Somewhere blocks can be looked up by CID: a CAR file with an index, a store, a map. */
@FunctionalInterface
public interface BlockSource {
    /**
     * The block for {@code cid}, or null if this source does not have it. Implementations
     * return verified blocks or say in their documentation that they do not.
     */
    Block get(Cid cid) throws IOException;

    /**
     * This source as it is now, for one consistent use (one gateway response): a source whose
     * contents change (a store that follows imports and removals) returns a view that keeps the
     * blocks it had, so a response under way finishes; a fixed source returns itself.
     */
    default BlockSource snapshot() {
        return this;
    }

    /**
     * A number that changes whenever the blocks this source holds may have changed (a store
     * after an import or a removal); a fixed source keeps 0. Whatever is kept of what was read
     * from a source (decoded directories) is dropped when it moves.
     */
    default long generation() {
        return 0;
    }

    /**
     * Starts fetching a block that will be needed soon; the future completes with what
     * {@link #get} would return. Sources that can read and verify in the background (a CAR
     * file) override this so that several blocks are hashed at once; calls must still come in
     * the order the blocks are needed.
     */
    default CompletableFuture<Block> fetch(Cid cid) {
        try {
            return CompletableFuture.completedFuture(get(cid));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
