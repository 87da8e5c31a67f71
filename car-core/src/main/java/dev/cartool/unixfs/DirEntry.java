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
    /**
     * Refuses a name that cannot be one path component on disk or in an archive: empty,
     * {@code .}, {@code ..}, or holding {@code /} or NUL. Every writer of names (extraction, tar)
     * checks them here before anything is written.
     *
     * @param path where the directory is, for the message
     */
    public static void checkName(Cid dir, String path, String name) throws UnixFsException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new UnixFsException(dir, "directory " + dir + " has an unsafe entry name '"
                    + name.replace("\0", "\\0") + "'" + (path.isEmpty() ? "" : " at '" + path + "'"));
        }
    }
}
