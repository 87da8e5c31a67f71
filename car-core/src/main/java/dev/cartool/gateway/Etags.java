package dev.cartool.gateway;

/** Conditional requests: does an {@code If-None-Match} header match a response's ETag? */
final class Etags {
    private Etags() {
    }

    /**
     * Whether {@code ifNoneMatch} (a list of entity tags, or {@code *}) names {@code etag}. The
     * comparison is weak, as RFC 9110 says for If-None-Match: {@code W/"x"} matches {@code "x"}.
     */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String want = opaque(etag);
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (!t.isEmpty() && opaque(t).equals(want))) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
