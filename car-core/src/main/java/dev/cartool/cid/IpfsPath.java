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

    public static IpfsPath parse(String s) throws CidFormatException {
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
        return new IpfsPath(cid, cidText, slash < 0 ? List.of() : segments(rest.substring(slash + 1)));
    }

    /**
     * The segments of a path under a root, {@code "dir/file"}: empty ones skipped (a trailing or
     * doubled slash, as gateways tolerate), {@code "."} and {@code ".."} refused (a DAG has no
     * parent links).
     */
    public static List<String> segments(String path) throws CidFormatException {
        List<String> segments = new ArrayList<>();
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.equals(".") || seg.equals("..")) {
                throw new CidFormatException("path segment '" + seg + "' is not allowed in '" + path + "'");
            }
            segments.add(seg);
        }
        return segments;
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
