package dev.cartool.gateway;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;

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
 * {@code format=tar} ({@code Accept: application/x-tar}): a UnixFS file, directory tree or
 * symlink as a POSIX tar stream (Apache Commons Compress), its top entry named by
 * {@code ?filename=} or the CID, with the modes and mtimes the DAG records. Every block is
 * checked as it is read; a bad one cuts the stream. Names are checked before they are written.
 */
final class TarHandler {
    /** Entries one response may hold: a DAG can name one subtree many times. */
    static final long MAX_ENTRIES = 1_000_000;

    private TarHandler() {
    }

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        UnixFsNode node = at.target();
        if (node == null) {
            throw new Gateway.Status(406, at.cid() + " is " + at.cid().codecName() + ", not UnixFS: no tar of it");
        }
        Exchange ex = r.ex();
        String etag = "W/\"" + node.cid().toV1() + ".x-tar\"";
        if (Gateway.cached(r, etag, out)) {
            return;
        }
        String top = r.param("filename") != null ? r.param("filename") : node.cid().toString();
        if (top.endsWith(".tar")) {
            top = top.substring(0, top.length() - 4);
        }
        try {
            DirEntry.checkName(node.cid(), "", top);
        } catch (UnixFsException e) {
            throw new Gateway.Status(400, "filename '" + Gateway.quoted(top) + "' cannot name a tar's top entry");
        }
        ex.setHeader("Content-Type", "application/x-tar");
        ex.setHeader("Content-Disposition", Gateway.attachment(r, top + ".tar"));
        ex.setHeader("X-Content-Type-Options", "nosniff");
        out.status = 200;
        ex.sendHeaders(200, r.head() ? -1 : 0); // chunked: the length is known only at the end
        if (r.head()) {
            return;
        }
        CountingStream counted = new CountingStream(ex.body());
        BufferedOutputStream buffered = new BufferedOutputStream(counted, 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        new Writer(backend.reader(), tar).entry(node, top);
        tar.finish(); // the end-of-archive blocks; finish does not flush what is under it
        buffered.flush();
        out.sent = counted.count;
    }

    /** Writes a tree depth-first, counting entries against {@link #MAX_ENTRIES}. */
    private static final class Writer {
        private final UnixFsReader reader;
        private final TarArchiveOutputStream tar;
        private long entries;

        Writer(UnixFsReader reader, TarArchiveOutputStream tar) {
            this.reader = reader;
            this.tar = tar;
        }

        void entry(UnixFsNode node, String path) throws IOException {
            if (++entries > MAX_ENTRIES) {
                throw new UnixFsException(node.cid(), "more than " + MAX_ENTRIES + " entries: the tar stops here");
            }
            switch (node.kind()) {
                case DIRECTORY: {
                    TarArchiveEntry e = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
                    metadata(e, node, 0755);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
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
                    return;
                }
                default: {
                    TarArchiveEntry e = new TarArchiveEntry(path);
                    e.setSize(node.fileSize());
                    metadata(e, node, 0644);
                    tar.putArchiveEntry(e);
                    try (UnixFsFile content = reader.open(node)) {
                        content.transferTo(tar, n -> { });
                    }
                    tar.closeArchiveEntry();
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
}
