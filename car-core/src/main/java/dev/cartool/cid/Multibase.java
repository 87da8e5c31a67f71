package dev.cartool.cid;

import java.util.Base64;
import java.util.Locale;

/**
 * The multibase encodings a CID string is written in: a one-character prefix, then the bytes.
 * Decoding is strict: only the canonical spelling of some bytes is accepted, so that
 * {@code encode(decode(s)).equals(s)} for every accepted {@code s}.
 */
public enum Multibase {
    BASE16("base16", 'f'),
    BASE16_UPPER("base16upper", 'F'),
    BASE32("base32", 'b'),
    BASE32_UPPER("base32upper", 'B'),
    BASE36("base36", 'k'),
    BASE36_UPPER("base36upper", 'K'),
    BASE58BTC("base58btc", 'z'),
    BASE64("base64", 'm'),
    BASE64URL("base64url", 'u');

    private static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final String B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String HEX = "0123456789abcdef";

    private final String displayName;
    private final char prefix;

    Multibase(String displayName, char prefix) {
        this.displayName = displayName;
        this.prefix = prefix;
    }

    /** The multibase table's name, e.g. {@code base32}. */
    public String displayName() {
        return displayName;
    }

    public char prefix() {
        return prefix;
    }

    /** Finds the encoding for a prefix character. */
    public static Multibase forPrefix(char prefix) throws CidFormatException {
        for (Multibase m : values()) {
            if (m.prefix == prefix) {
                return m;
            }
        }
        throw new MultibaseException("unsupported multibase prefix '" + printable(prefix) + "'");
    }

    /** The encoding of a multibase string, from its prefix. */
    public static Multibase of(String s) throws CidFormatException {
        if (s.isEmpty()) {
            throw new MultibaseException("empty multibase string");
        }
        return forPrefix(s.charAt(0));
    }

    /** Decodes a prefixed multibase string. */
    public static byte[] decode(String s) throws CidFormatException {
        return of(s).decodeBody(s.substring(1));
    }

    /** Encodes bytes with this encoding's prefix. */
    public String encode(byte[] data) {
        return prefix + encodeBody(data);
    }

    /** Encodes bytes without the prefix. */
    public String encodeBody(byte[] data) {
        switch (this) {
            case BASE16:
                return hex(data);
            case BASE16_UPPER:
                return hex(data).toUpperCase(Locale.ROOT);
            case BASE32:
                return base32(data);
            case BASE32_UPPER:
                return base32(data).toUpperCase(Locale.ROOT);
            case BASE36:
                return radix(data, B36);
            case BASE36_UPPER:
                return radix(data, B36).toUpperCase(Locale.ROOT);
            case BASE58BTC:
                return radix(data, B58);
            case BASE64:
                return Base64.getEncoder().withoutPadding().encodeToString(data);
            case BASE64URL:
                return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
            default:
                throw new AssertionError(this);
        }
    }

    /** Decodes a string without its prefix, accepting only the canonical spelling. */
    public byte[] decodeBody(String body) throws CidFormatException {
        byte[] out;
        switch (this) {
            case BASE16:
            case BASE16_UPPER:
                out = unhex(this == BASE16 ? body : body.toLowerCase(Locale.ROOT));
                break;
            case BASE32:
                out = unbase32(body);
                break;
            case BASE32_UPPER:
                out = unbase32(body.toLowerCase(Locale.ROOT));
                break;
            case BASE36:
                out = unradix(body, B36);
                break;
            case BASE36_UPPER:
                out = unradix(body.toLowerCase(Locale.ROOT), B36);
                break;
            case BASE58BTC:
                out = unradix(body, B58);
                break;
            case BASE64:
            case BASE64URL:
                try {
                    out = (this == BASE64 ? Base64.getDecoder() : Base64.getUrlDecoder()).decode(body);
                } catch (IllegalArgumentException e) {
                    throw new MultibaseException("invalid " + displayName + " string: " + e.getMessage());
                }
                break;
            default:
                throw new AssertionError(this);
        }
        if (!encodeBody(out).equals(body)) {
            throw new MultibaseException("not a canonical " + displayName + " string");
        }
        return out;
    }

    @Override
    public String toString() {
        return displayName;
    }

    static String hex(byte[] data) {
        char[] out = new char[data.length * 2];
        for (int i = 0; i < data.length; i++) {
            out[2 * i] = HEX.charAt((data[i] >> 4) & 0xF);
            out[2 * i + 1] = HEX.charAt(data[i] & 0xF);
        }
        return new String(out);
    }

    private byte[] unhex(String s) throws MultibaseException {
        if (s.length() % 2 != 0) {
            throw new MultibaseException("base16 string of odd length " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(s, 2 * i, HEX) << 4 | digit(s, 2 * i + 1, HEX));
        }
        return out;
    }

    private static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(B32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(B32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    private byte[] unbase32(String s) throws MultibaseException {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            buffer = (buffer << 5) | digit(s, i, B32);
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }

    private static String radix(byte[] data, String alphabet) {
        int base = alphabet.length();
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        // Repeated division of the big-endian number; CIDs are short, so quadratic is fine.
        byte[] num = data.clone();
        char[] digits = new char[data.length * 2 + 1];
        int len = 0;
        int start = zeros;
        while (start < num.length) {
            int rem = 0;
            for (int i = start; i < num.length; i++) {
                int acc = (rem << 8) | (num[i] & 0xFF);
                num[i] = (byte) (acc / base);
                rem = acc % base;
            }
            digits[len++] = alphabet.charAt(rem);
            while (start < num.length && num[start] == 0) {
                start++;
            }
        }
        StringBuilder sb = new StringBuilder(zeros + len);
        for (int i = 0; i < zeros; i++) {
            sb.append(alphabet.charAt(0));
        }
        for (int i = len - 1; i >= 0; i--) {
            sb.append(digits[i]);
        }
        return sb.toString();
    }

    private byte[] unradix(String s, String alphabet) throws MultibaseException {
        int base = alphabet.length();
        char zero = alphabet.charAt(0);
        int zeros = 0;
        while (zeros < s.length() && s.charAt(zeros) == zero) {
            zeros++;
        }
        byte[] num = new byte[s.length()];
        int len = 0; // little-endian bytes used in num
        for (int i = zeros; i < s.length(); i++) {
            int carry = digit(s, i, alphabet);
            for (int j = 0; j < len; j++) {
                carry += (num[j] & 0xFF) * base;
                num[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                num[len++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + len];
        for (int i = 0; i < len; i++) {
            out[zeros + i] = num[len - 1 - i];
        }
        return out;
    }

    private int digit(String s, int i, String alphabet) throws MultibaseException {
        int d = alphabet.indexOf(s.charAt(i));
        if (d < 0) {
            throw new MultibaseException("invalid " + displayName + " character '"
                    + printable(s.charAt(i)) + "' at position " + (i + 1));
        }
        return d;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf(c) : "\\u" + Integer.toHexString(0x10000 | c).substring(1);
    }

    /** A string that is not valid in the multibase encoding it claims. */
    public static final class MultibaseException extends CidFormatException {
        private static final long serialVersionUID = 1L;

        MultibaseException(String message) {
            super(message);
        }
    }
}
