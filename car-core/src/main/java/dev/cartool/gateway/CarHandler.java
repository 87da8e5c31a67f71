package dev.cartool.gateway;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import dev.cartool.car.CarWriter;
import dev.cartool.car.DagExporter;
import dev.cartool.cid.HashFunction;
import dev.cartool.unixfs.Scopes;
import dev.cartool.unixfs.UnixFsNode;

/**
 * {@code format=car}: a CARv1 of the blocks that verify the path, then the target and the part of
 * the DAG below it that {@code dag-scope} and {@code entity-bytes} pick, in DFS order, through
 * the one {@link DagExporter}.
 */
final class CarHandler {
    private CarHandler() {
    }

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws Gateway.Status, IOException {
        String scope = r.query().getOrDefault("dag-scope", "all");
        if (!scope.equals("all") && !scope.equals("entity") && !scope.equals("block")) {
            throw new Gateway.Status(400, "dag-scope must be block, entity or all");
        }
        String entityBytes = r.param("entity-bytes");
        DagExporter.Selector selector = scope.equals("block") ? DagExporter.BLOCK
                : scope.equals("entity") ? Scopes.entity() : DagExporter.ALL;
        UnixFsNode node = at.target();
        if (entityBytes != null) {
            if (node != null && node.kind() == UnixFsNode.Kind.FILE) {
                long[] range = entityRange(entityBytes, node.fileSize());
                selector = range[0] == range[1] ? DagExporter.BLOCK : Scopes.bytes(range[0], range[1]);
            } else {
                selector = Scopes.entity(); // not a byte array: the parameter is ignored, as entity
            }
        }
        Exchange ex = r.ex();
        String etag = etag(r, at, scope, entityBytes);
        if (Gateway.cached(r, etag, out)) {
            return;
        }
        ex.setHeader("Content-Type", Gateway.CAR + "; version=1; order=dfs; dups=" + (r.duplicates() ? "y" : "n"));
        ex.setHeader("Content-Disposition", Gateway.attachment(r, at.cid() + ".car"));
        ex.setHeader("Accept-Ranges", "none");
        ex.setHeader("X-Content-Type-Options", "nosniff");
        out.status = 200;
        ex.sendHeaders(200, r.head() ? -1 : 0); // 0: chunked, the length is not known ahead
        if (r.head()) {
            return;
        }
        dev.cartool.io.CountingOutputStream counted = new dev.cartool.io.CountingOutputStream(ex.body());
        CarWriter w = CarWriter.create(new BufferedOutputStream(counted, 1 << 16), List.of(r.path().cid()));
        new DagExporter(backend.source()).duplicates(r.duplicates()).export(at.path(), at.cid(), selector, w);
        w.flush();
        out.sent = counted.count();
    }

    /**
     * A weak tag (the bytes of a CAR are not promised byte for byte across gateways): the
     * target's CID and a digest of what shaped the response, so each scope and range has its own.
     */
    private static String etag(Request r, Backend.Resolved at, String scope, String entityBytes) {
        String shape = r.path().pathString() + "|" + scope + "|" + (entityBytes == null ? "" : entityBytes) + "|"
                + (r.duplicates() ? "y" : "n");
        byte[] b = shape.getBytes(StandardCharsets.UTF_8);
        byte[] d = HashFunction.sha256().digest(b, 0, b.length);
        return "W/\"" + at.cid().toV1() + ".car." + HexFormat.of().formatHex(d, 0, 6) + "\"";
    }

    /**
     * {@code entity-bytes=from:to} (inclusive; {@code to} may be {@code *}; negative values count
     * from the end) as a half-open range {@code [from, end)} clamped to the file.
     */
    static long[] entityRange(String spec, long size) throws Gateway.Status {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new Gateway.Status(400, "entity-bytes must be from:to");
        }
        try {
            long from = Long.parseLong(spec.substring(0, colon));
            String t = spec.substring(colon + 1);
            long to = t.equals("*") ? size - 1 : Long.parseLong(t);
            if (from < 0) {
                from = Math.max(0, size + from);
            }
            if (to < 0) {
                to = size + to;
            }
            to = Math.min(to, size - 1);
            if (from > to) {
                if (size == 0) {
                    return new long[] {0, 0}; // an empty file: its block alone
                }
                // Known before anything is sent: the spec's 400.
                throw new Gateway.Status(400, "entity-bytes " + spec + " selects nothing of " + size + " bytes");
            }
            return new long[] {from, to + 1};
        } catch (NumberFormatException e) {
            throw new Gateway.Status(400, "entity-bytes must be from:to with integers or *");
        }
    }
}
