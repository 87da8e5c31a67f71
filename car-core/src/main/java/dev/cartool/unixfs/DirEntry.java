package dev.cartool.unixfs;

import dev.cartool.cid.Cid;

/**
 * A directory entry: a name and the CID it links to.
 *
 * @param name the entry's name (for a HAMT entry, without its slot prefix)
 * @param cid the target
 * @param tsize the link's cumulative size, or -1 if absent
 */
public record DirEntry(String name, Cid cid, long tsize) {
}
