package dev.cartool.unixfs.extract;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.function.LongConsumer;

import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsData;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsFile;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A UnixFS file, directory tree or symlink as a POSIX tar stream (Apache Commons Compress), depth
 * first, each directory's entries in the DAG's order, with the modes and mtimes the DAG records
 * (else 0644, 0755, 0777 and the epoch). Every block is checked as it is read; every name is
 * checked before it is written, so a tar never holds a path that climbs out of its top entry.
 * What {@code car extract -o x.tar} and the gateway's {@code format=tar} write.
 */
public final class TarWriter {
    private final UnixFsReader reader;
    private final long maxEntries;
    private LongConsumer onBytes = n -> { };
    private long entries;
    private long files;
    private long directories;
    private long symlinks;
    private long bytes;

    public TarWriter(UnixFsReader reader, long maxEntries) {
        this.reader = reader;
        this.maxEntries = maxEntries;
    }

    /** Told the file bytes written, as they are written (for progress). */
    public TarWriter onBytes(LongConsumer listener) {
        this.onBytes = listener;
        return this;
    }

    /**
     * Writes {@code node} as the tar's top entry {@code top} (and everything under it), then the
     * end-of-archive blocks. {@code out} is flushed, not closed.
     */
    public void write(UnixFsNode node, String top, OutputStream out) throws IOException {
        DirEntry.checkName(node.cid(), "", top);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(dev.cartool.io.NonClosing.output(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tarOut = tar;
        try {
            entry(node, top);
        } finally {
            tarOut = null;
        }
        tar.close(); // the end-of-archive blocks; out itself stays open
        out.flush();
    }

    private TarArchiveOutputStream tarOut;

    public long files() {
        return files;
    }

    public long directories() {
        return directories;
    }

    public long symlinks() {
        return symlinks;
    }

    /** File bytes written (not counting tar headers and padding). */
    public long bytes() {
        return bytes;
    }

    private void entry(UnixFsNode node, String path) throws IOException {
        TarArchiveOutputStream tar = tarOut;
        if (++entries > maxEntries) {
            throw new TreeLimitException(node.cid(), "entries", maxEntries, "more than " + maxEntries
                    + " entries: the tar stops at '" + path + "'");
        }
        switch (node.kind()) {
            case DIRECTORY: {
                TarArchiveEntry e = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
                metadata(e, node, 0755);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                directories++;
                for (DirEntry child : reader.entries(node)) {
                    DirEntry.checkName(node.cid(), path, child.name());
                    entry(reader.load(child.cid()), path + "/" + child.name());
                }
                return;
            }
            case SYMLINK: {
                TarArchiveEntry e = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
                e.setLinkName(new String(node.data().data(), StandardCharsets.UTF_8));
                metadata(e, node, 0777);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                symlinks++;
                return;
            }
            default: {
                TarArchiveEntry e = new TarArchiveEntry(path);
                e.setSize(node.fileSize());
                metadata(e, node, 0644);
                tar.putArchiveEntry(e);
                try (UnixFsFile content = reader.open(node)) {
                    content.transferTo(tar, n -> {
                        bytes += n;
                        onBytes.accept(n);
                    });
                }
                tar.closeArchiveEntry();
                files++;
            }
        }
    }

    private static void metadata(TarArchiveEntry e, UnixFsNode node, int defaultMode) {
        Integer mode = node.mode();
        e.setMode(mode != null ? mode & 07777 : defaultMode);
        UnixFsData.Mtime m = node.mtime();
        e.setModTime(m != null ? new Date(m.seconds() * 1000 + m.nanos() / 1_000_000) : new Date(0));
    }
}
