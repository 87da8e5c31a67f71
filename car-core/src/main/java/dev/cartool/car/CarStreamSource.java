package dev.cartool.car;

import static dev.cartool.io.Text.n;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.block.BlockSource;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multihash;
import dev.cartool.error.CarException;

/**
 * Blocks of a CAR arriving on a stream (a pipe, standard input), for traversals in DFS order:
 * a request is served by reading forward to the block. Blocks passed over or already served are
 * kept in a cache bounded by bytes, so repeated blocks and small detours work; a block that was
 * evicted cannot be read again, and that is reported as a stream in the wrong order.
 */
public final class CarStreamSource implements BlockSource, java.io.Closeable {
    /** Cache budget by default. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final BlockCursor cursor;
    private final long cacheBytes;
    private final LinkedHashMap<Multihash, Block> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Multihash> evicted = new HashSet<>();
    private long cached;
    private boolean eof;

    public CarStreamSource(BlockCursor cursor, long cacheBytes) {
        this.cursor = cursor;
        this.cacheBytes = cacheBytes;
    }

    public CarHeader header() {
        return cursor.header();
    }

    @Override
    public Block get(Cid cid) throws IOException {
        if (cid.isIdentity()) {
            return Block.of(cid, cid.multihash().digest());
        }
        Multihash mh = cid.multihash();
        Block hit = cache.get(mh);
        if (hit != null) {
            return hit;
        }
        if (evicted.contains(mh)) {
            throw new CarException(cursor.bytesRead(), "block " + cid + " was passed over in the stream and no longer "
                    + "fits the " + n(cacheBytes) + "-byte cache: the CAR is not in DFS order; read it from a file");
        }
        while (!eof) {
            Block b = cursor.next();
            if (b == null) {
                eof = true;
                break;
            }
            put(b);
            if (b.cid().multihash().equals(mh)) {
                return b;
            }
        }
        return null;
    }

    private void put(Block b) {
        Multihash mh = b.cid().multihash();
        if (cache.put(mh, b) == null) {
            cached += b.length();
        }
        Iterator<Map.Entry<Multihash, Block>> it = cache.entrySet().iterator();
        while (cached > cacheBytes && it.hasNext()) {
            Map.Entry<Multihash, Block> e = it.next();
            if (e.getKey().equals(mh)) {
                continue;
            }
            cached -= e.getValue().length();
            evicted.add(e.getKey());
            it.remove();
        }
    }

    @Override
    public void close() throws IOException {
        cursor.close();
    }
}
