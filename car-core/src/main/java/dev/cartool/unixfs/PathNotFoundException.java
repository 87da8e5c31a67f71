package dev.cartool.unixfs;

import dev.cartool.cid.Cid;
import dev.cartool.error.Kind;

/** A path segment names no entry of its directory, or goes on past a file or symlink. */
public class PathNotFoundException extends UnixFsException {
    private static final long serialVersionUID = 1L;

    public PathNotFoundException(Cid dir, String path, String name) {
        super(dir, "no entry '" + name + "' in directory " + dir + (path.isEmpty() ? "" : " (" + path + ")"));
    }

    /** A path that goes on past something that is not a directory. */
    PathNotFoundException(Cid node, String message) {
        super(node, message);
    }

    @Override
    public dev.cartool.error.Kind kind() {
        return dev.cartool.error.Kind.NOT_FOUND;
    }
}
