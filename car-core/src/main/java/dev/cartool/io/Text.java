package dev.cartool.io;

/** Text from a CAR or a request made safe to show: on a terminal, in a log line. */
public final class Text {
    private Text() {
    }

    /*
     * Numbers are written out here rather than through String.format: the first format of a JVM
     * costs ~36 ms on the 2-core guest (java.util.Formatter, the regex it parses with, the
     * locale's symbols); car inspect and car ls -l of a small CAR took 19-24 ms less without it.
     */

    /** Formats a byte count or offset the way every message in this toolkit does: {@code 1,234}. */
    public static String n(long value) {
        String digits = Long.toString(value);
        int sign = value < 0 ? 1 : 0;
        if (digits.length() - sign <= 3) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(digits.length() + 6);
        sb.append(digits, 0, sign);
        for (int i = sign; i < digits.length(); i++) {
            if (i > sign && (digits.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** {@code value} in lower-case hexadecimal, zero-padded to {@code digits}: as {@code %0Nx} of an int. */
    public static String hex(int value, int digits) {
        return padLeft(Integer.toHexString(value), digits, '0');
    }

    /** {@code value} in octal, zero-padded to {@code digits}: as {@code %0No} of an int. */
    public static String octal(int value, int digits) {
        return padLeft(Integer.toOctalString(value), digits, '0');
    }

    /** {@code s} after spaces that make it {@code width} long: as {@code %Ns}. */
    public static String padLeft(String s, int width) {
        return padLeft(s, width, ' ');
    }

    /** {@code s} before spaces that make it {@code width} long: as {@code %-Ns}. */
    public static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** {@code s} after as many {@code pad}s as make it {@code width} long: {@code ('7', 2, '0')} is {@code 07}. */
    public static String padLeft(String s, int width, char pad) {
        return s.length() >= width ? s : String.valueOf(pad).repeat(width - s.length()) + s;
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
                default: sb.append("\\x").append(hex(c, 2));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
