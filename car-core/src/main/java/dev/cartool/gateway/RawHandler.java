package dev.cartool.gateway;

import java.io.IOException;

import dev.cartool.block.Block;

/** {@code format=raw}: the one block the path ends at, verified, as opaque bytes. */
final class RawHandler {
    private RawHandler() {
    }

    static void serve(Request r, Backend backend, Backend.Resolved at, Outcome out) throws IOException {
        Block b = backend.block(at.cid());
        Exchange ex = r.ex();
        String etag = "\"" + at.cid().toV1() + ".raw\"";
        if (Gateway.cached(r, etag, out)) {
            return;
        }
        ex.setHeader("Content-Type", Gateway.RAW);
        ex.setHeader("Content-Disposition", Gateway.attachment(r, at.cid() + ".bin"));
        ex.setHeader("X-Content-Type-Options", "nosniff");
        out.status = 200;
        Gateway.send(ex, 200, r.head(), b.length());
        if (!r.head()) {
            b.writeTo(ex.body());
            out.sent = b.length();
        }
    }
}
