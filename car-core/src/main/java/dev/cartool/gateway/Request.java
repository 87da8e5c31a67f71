package dev.cartool.gateway;

import java.util.Map;

import dev.cartool.cid.IpfsPath;

/**
 * One parsed request for content: the path, the query, and the response format asked for
 * ({@code format} wins over {@code Accept}, as the specs say).
 *
 * @param rawPath the path as sent (percent-encoded), for redirects
 * @param rawQuery the query as sent, or null
 * @param format {@code raw}, {@code car} or {@code ""} for a deserialized (UnixFS) response
 * @param duplicates {@code dups=y} (or {@code car-dups=y}): a CAR with every occurrence of a block
 * @param formatFromAccept the format came from {@code Accept}, not the URL: the response says
 *     where the same thing lives by URL ({@code Content-Location})
 */
record Request(Exchange ex, boolean head, IpfsPath path, String rawPath, String rawQuery,
        Map<String, String> query, String format, boolean duplicates, boolean formatFromAccept) {

    String header(String name) {
        return ex.requestHeader(name);
    }

    String param(String name) {
        return query.get(name);
    }

    /** {@code /ipfs/CID/path} as the client named it: the X-Ipfs-Path header. */
    String contentPath() {
        return "/ipfs/" + path.cidText() + path.pathString();
    }
}
