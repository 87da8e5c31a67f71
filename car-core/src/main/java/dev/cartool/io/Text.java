package dev.cartool.io;

/** Text from a CAR or a request made safe to show: on a terminal, in a log line. */
public final class Text {
    private Text() {
    }

    /** Formats a byte count or offset the way every message in this toolkit does: {@code 1,234}. */
    public static String n(long value) {
        return String.format(java.util.Locale.ROOT, "%,d", value);
    }

    /**
     * Control characters (C0, DEL, C1: escape sequences, newlines, carriage returns) written as
     * {@code \n}, {@code \r}, {@code \t} or {@code \xHH}, and backslashes doubled, so a name cannot
     * redraw a screen or forge a line, and what is shown maps back to one string.
     */
    public static String escapeControls(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (!control && c != '\\') {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default: sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
