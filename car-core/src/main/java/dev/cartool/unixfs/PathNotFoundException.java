package dev.cartool.unixfs;

import dev.cartool.cid.Cid;

/** A path segment names no entry of its directory. */
public class PathNotFoundException extends UnixFsException {
    private static final long serialVersionUID = 1L;

    public PathNotFoundException(Cid dir, String path, String name) {
        super(dir, "no entry '" + name + "' in directory " + dir + (path.isEmpty() ? "" : " (" + path + ")"));
    }
}
