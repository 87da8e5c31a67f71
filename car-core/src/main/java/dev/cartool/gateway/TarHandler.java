package dev.cartool.gateway;

import java.io.BufferedOutputStream;
import java.io.IOException;

import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.extract.TarWriter;

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
        dev.cartool.io.CountingOutputStream counted = new dev.cartool.io.CountingOutputStream(ex.body());
        BufferedOutputStream buffered = new BufferedOutputStream(counted, 1 << 16);
        new TarWriter(backend.reader(), MAX_ENTRIES).write(node, top, buffered);
        out.sent = counted.count();
    }
}
