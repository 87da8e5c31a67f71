package dev.cartool.apptainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multibase;
import dev.cartool.io.AtomicFile;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;

/**
 * Apptainer's cache of {@code ipfs://} images (apptainer 1.5): {@code $APPTAINER_CACHEDIR/cache/ipfs/}
 * (default {@code ~/.apptainer/cache/ipfs/}, mode 0700), one file per root named by the
 * lower-case hex of the root CID's sha2-256 digest. A wrapped image ({@code CID/lolcow.sif}) is
 * cached under the file CID's hex with a relative symlink from the directory CID's hex, as
 * Apptainer does itself. A cache hit is trusted without any check, so only verified bytes go in.
 */
public final class ApptainerCache {
    private final Path dir;

    private ApptainerCache(Path dir) {
        this.dir = dir;
    }

    /** The cache directory for an environment; created with mode 0700 when missing. */
    public static ApptainerCache open(Map<String, String> env) throws IOException {
        String base = env.get("APPTAINER_CACHEDIR");
        Path root = base != null && !base.isEmpty() ? Path.of(base)
                : Path.of(dev.cartool.store.CarStore.home(env), ".apptainer");
        return at(root.resolve("cache").resolve("ipfs"));
    }

    public static ApptainerCache at(Path ipfsDir) throws IOException {
        if (!Files.isDirectory(ipfsDir)) {
            Files.createDirectories(ipfsDir);
            try {
                Files.setPosixFilePermissions(ipfsDir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
        }
        return new ApptainerCache(ipfsDir);
    }

    public Path directory() {
        return dir;
    }

    /** What to give Apptainer for a cached root: {@code ipfs://<CIDv1 base32>[/name]}. */
    public static String ipfsUri(Cid root, String name) {
        return "ipfs://" + root.toV1() + (name == null ? "" : "/" + name);
    }

    /**
     * The URI {@link #place} made pullable: a wrapped root is pulled by its entry's path
     * ({@code ipfs://<dir>/lolcow.sif}), a bare file root by its CID alone.
     */
    public static String ipfsUri(UnixFsReader reader, Cid root, String name) throws IOException {
        if (name == null) {
            UnixFsNode node = reader.load(root);
            if (node.kind() == UnixFsNode.Kind.DIRECTORY) {
                List<DirEntry> entries = reader.entries(node);
                if (entries.size() == 1) {
                    name = entries.get(0).name();
                }
            }
        }
        return ipfsUri(root, name);
    }

    /** The cache entry name for a CID: the hex of its sha2-256 digest. */
    public static String entryName(Cid cid) {
        return HexFormat.of().formatHex(cid.multihash().digest());
    }

    /**
     * Places the file under {@code root} into the cache. {@code name} picks the file of a
     * wrapped root (a directory); it may be null when the directory holds a single file.
     *
     * @return the cache paths written (the file, and for a wrapped root the symlink)
     */
    public List<Path> place(UnixFsReader reader, Cid root, String name) throws IOException {
        // A CIDv0 root names the same block as its CIDv1 form, and the cache key (the hex of the
        // sha2-256 digest) is the same for both: it is cached, to be pulled as ipfs://<its v1>.
        ApptainerCompat.rejection(root.version() == 0 ? root.toV1() : root, Multibase.BASE32).ifPresent(why -> {
            throw new IllegalArgumentException("root " + root + " cannot be used by Apptainer: " + why);
        });
        UnixFsNode node = reader.load(root);
        List<Path> written = new ArrayList<>();
        if (node.kind() == UnixFsNode.Kind.FILE) {
            if (name != null) {
                throw new IllegalArgumentException("root " + root + " is a file; an entry name applies to a wrapped (directory) root only");
            }
            written.add(writeFile(reader, node, root));
            return written;
        }
        if (node.kind() != UnixFsNode.Kind.DIRECTORY) {
            throw new UnixFsException(root, "root " + root + " is a symlink, not an image");
        }
        List<DirEntry> entries = reader.entries(node);
        DirEntry pick = null;
        if (name != null) {
            for (DirEntry e : entries) {
                if (e.name().equals(name)) {
                    pick = e;
                }
            }
            if (pick == null) {
                throw new IllegalArgumentException("root " + root + " has no entry '" + name + "'");
            }
        } else if (entries.size() == 1) {
            pick = entries.get(0);
        } else {
            throw new IllegalArgumentException("root " + root + " is a directory of " + entries.size()
                    + " entries; Apptainer keys a wrapped path by the directory alone, so the entry to cache must be named");
        }
        UnixFsNode file = reader.load(pick.cid());
        if (file.kind() != UnixFsNode.Kind.FILE) {
            throw new IllegalArgumentException("'" + pick.name() + "' under " + root + " is not a file");
        }
        if (!file.cid().multihash().isIdentity() && file.cid().multihash().code() != dev.cartool.cid.Multicodec.SHA2_256) {
            throw new IllegalArgumentException("'" + pick.name() + "' is not hashed with sha2-256; Apptainer cannot key it");
        }
        Path target = writeFile(reader, file, file.cid());
        written.add(target);
        Path link = dir.resolve(entryName(root));
        Path tmpLink = dir.resolve("tmp_" + UUID.randomUUID());
        Files.createSymbolicLink(tmpLink, target.getFileName());
        try {
            dev.cartool.io.Durable.move(tmpLink, link, true);
        } finally {
            Files.deleteIfExists(tmpLink);
        }
        dev.cartool.io.Durable.syncDirectory(dir);
        written.add(link);
        return written;
    }

    private Path writeFile(UnixFsReader reader, UnixFsNode file, Cid key) throws IOException {
        Path target = dir.resolve(entryName(key));
        // Written beside its name and renamed over any entry there, the bytes and then the
        // directory flushed: the entry appears whole or not at all, as Apptainer's own do.
        try (AtomicFile out = AtomicFile.create(target, true)) {
            reader.transferTo(file, out.stream(), n -> { });
            out.commit();
        }
        return target;
    }
}
