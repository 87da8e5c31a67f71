package dev.cartool.unixfs.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The tree a tar archive holds, read from its headers (Apache Commons Compress): directories,
 * symlinks, and files as regions of the archive itself, so that a file is chunked straight from
 * the tar without being unpacked. The tree's root is the directory the archive would be
 * extracted into. Paths are checked: no absolute names, no {@code ..}, no device files; a hard
 * link is the file it links to; a later entry of a name replaces an earlier one, as tar -x does.
 */
final class TarTree {
    private TarTree() {
    }

    interface Node {
    }

    static final class Dir implements Node {
        final TreeMap<String, Node> children = new TreeMap<>();
    }

    record FileRegion(long offset, long size) implements Node {
    }

    record Link(String target) implements Node {
    }

    /**
     * @param hidden whether names starting with a dot are kept (as {@code car pack -H})
     */
    static Dir read(Path tar, boolean hidden) throws IOException {
        Dir root = new Dir();
        Map<String, FileRegion> files = new HashMap<>();
        try (TarFile t = new TarFile(tar)) {
            for (TarArchiveEntry e : t.getEntries()) {
                String name = normalize(tar, e.getName());
                if (name.isEmpty()) {
                    continue; // "./": the root itself
                }
                if (!hidden && isHidden(name)) {
                    continue;
                }
                Node node;
                if (e.isFIFO() || e.isCharacterDevice() || e.isBlockDevice()) {
                    throw new IOException(tar + ": '" + e.getName() + "' is not a regular file, directory or symlink; "
                            + "cannot add it");
                } else if (e.isDirectory()) {
                    node = null; // made (or kept) below
                } else if (e.isSymbolicLink()) {
                    node = new Link(e.getLinkName());
                } else if (e.isLink()) {
                    FileRegion target = files.get(normalize(tar, e.getLinkName()));
                    if (target == null) {
                        throw new IOException(tar + ": hard link '" + e.getName() + "' names '" + e.getLinkName()
                                + "', which is not a file earlier in the archive");
                    }
                    node = target;
                } else if (e.isFile() && !e.isSparse()) {
                    FileRegion r = new FileRegion(e.getDataOffset(), e.getRealSize());
                    files.put(name, r);
                    node = r;
                } else {
                    throw new IOException(tar + ": '" + e.getName() + "' is " + (e.isSparse() ? "a sparse file"
                            : "not a regular file, directory or symlink") + "; cannot add it");
                }
                put(tar, root, name, node);
            }
        }
        return root;
    }

    private static void put(Path tar, Dir root, String name, Node node) throws IOException {
        String[] parts = name.split("/");
        Dir dir = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Node n = dir.children.get(parts[i]);
            if (!(n instanceof Dir)) {
                n = new Dir(); // implied by a deeper name, or replacing a file of that name as tar -x would
                dir.children.put(parts[i], n);
            }
            dir = (Dir) n;
        }
        String last = parts[parts.length - 1];
        if (node == null) {
            if (!(dir.children.get(last) instanceof Dir)) {
                dir.children.put(last, new Dir());
            }
        } else {
            dir.children.put(last, node);
        }
    }

    /** A member name as a relative path without "." parts or a trailing slash; refused if it climbs out. */
    static String normalize(Path tar, String raw) throws IOException {
        if (raw.startsWith("/")) {
            throw new IOException(tar + ": member '" + raw + "' has an absolute name; refusing it");
        }
        StringBuilder out = new StringBuilder();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException(tar + ": member '" + raw + "' climbs out of the archive with '..'; refusing it");
            }
            if (part.indexOf('\0') >= 0) {
                throw new IOException(tar + ": member name '" + raw.replace("\0", "\\0") + "' holds a NUL byte");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static boolean isHidden(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
