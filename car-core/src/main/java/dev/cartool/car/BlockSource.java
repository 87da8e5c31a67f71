package dev.cartool.car;

import java.io.IOException;

import dev.cartool.cid.Cid;

/** Somewhere blocks can be looked up by CID: a CAR file with an index, a store, a map. */
@FunctionalInterface
public interface BlockSource {
    /**
     * The block for {@code cid}, or null if this source does not have it. Implementations
     * return verified blocks or say in their documentation that they do not.
     */
    Block get(Cid cid) throws IOException;
}
