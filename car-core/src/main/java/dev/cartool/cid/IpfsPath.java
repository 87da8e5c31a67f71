package dev.cartool.cid;

import java.util.ArrayList;
import java.util.List;

/**
 * A CID with an optional path under it, as users write it: {@code CID}, {@code CID/a/b},
 * {@code ipfs://CID/a/b} or {@code /ipfs/CID/a/b}.
 *
 * @param cid the root
 * @param cidText the CID exactly as written (to report the multibase it was written in)
 * @param segments the path segments under the root, possibly empty
 */
public record IpfsPath(Cid cid, String cidText, List<String> segments) {
    public IpfsPath {
        segments = List.copyOf(segments);
    }

    public static IpfsPath parse(String s) {
        String rest;
        if (s.startsWith("ipfs://")) {
            rest = s.substring("ipfs://".length());
        } else if (s.startsWith("/ipfs/")) {
            rest = s.substring("/ipfs/".length());
        } else if (s.startsWith("/") || s.contains("://")) {
            throw new CidFormatException("not a CID or IPFS path: '" + s
                    + "' (expected CID, CID/path, ipfs://CID/path or /ipfs/CID/path)");
        } else {
            rest = s;
        }
        int slash = rest.indexOf('/');
        String cidText = slash < 0 ? rest : rest.substring(0, slash);
        Cid cid = Cid.parse(cidText);
        List<String> segments = new ArrayList<>();
        if (slash >= 0) {
            for (String seg : rest.substring(slash + 1).split("/", -1)) {
                if (seg.isEmpty()) {
                    continue; // tolerate a trailing or doubled slash, as gateways do
                }
                if (seg.equals(".") || seg.equals("..")) {
                    throw new CidFormatException("path segment '" + seg + "' is not allowed in '" + s + "'");
                }
                segments.add(seg);
            }
        }
        return new IpfsPath(cid, cidText, segments);
    }

    /** The path under the root, {@code /a/b}, or the empty string. */
    public String pathString() {
        return segments.isEmpty() ? "" : "/" + String.join("/", segments);
    }

    @Override
    public String toString() {
        return cid + pathString();
    }
}
