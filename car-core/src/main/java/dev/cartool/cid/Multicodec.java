package dev.cartool.cid;

import java.util.Map;
import java.util.Optional;

/**
 * Names of the multicodec table entries this toolkit meets. Codes without a name here are
 * still valid; {@link #name(long)} shows them as hex rather than failing.
 */
public final class Multicodec {
    public static final long IDENTITY = 0x00;
    public static final long SHA1 = 0x11;
    public static final long SHA2_256 = 0x12;
    public static final long SHA2_512 = 0x13;
    public static final long SHA3_512 = 0x14;
    public static final long SHA3_384 = 0x15;
    public static final long SHA3_256 = 0x16;
    public static final long SHA3_224 = 0x17;
    public static final long KECCAK_256 = 0x1b;
    public static final long BLAKE3 = 0x1e;
    public static final long RAW = 0x55;
    public static final long DAG_PB = 0x70;
    public static final long DAG_CBOR = 0x71;
    public static final long LIBP2P_KEY = 0x72;
    public static final long DAG_JSON = 0x0129;
    public static final long JSON = 0x0200;
    public static final long CBOR = 0x51;
    public static final long CAR_INDEX_SORTED = 0x0400;
    public static final long CAR_MULTIHASH_INDEX_SORTED = 0x0401;
    public static final long SHA2_256_TRUNC254_PADDED = 0x1012;
    public static final long BLAKE2B_256 = 0xb220;
    public static final long BLAKE2B_512 = 0xb240;
    public static final long BLAKE2S_256 = 0xb260;

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(IDENTITY, "identity"),
            Map.entry(SHA1, "sha1"),
            Map.entry(SHA2_256, "sha2-256"),
            Map.entry(SHA2_512, "sha2-512"),
            Map.entry(SHA3_512, "sha3-512"),
            Map.entry(SHA3_384, "sha3-384"),
            Map.entry(SHA3_256, "sha3-256"),
            Map.entry(SHA3_224, "sha3-224"),
            Map.entry(KECCAK_256, "keccak-256"),
            Map.entry(BLAKE3, "blake3"),
            Map.entry(0x30L, "multicodec"),
            Map.entry(0x31L, "multihash"),
            Map.entry(RAW, "raw"),
            Map.entry(DAG_PB, "dag-pb"),
            Map.entry(DAG_CBOR, "dag-cbor"),
            Map.entry(LIBP2P_KEY, "libp2p-key"),
            Map.entry(0x78L, "git-raw"),
            Map.entry(0x0129L, "dag-json"),
            Map.entry(JSON, "json"),
            Map.entry(CBOR, "cbor"),
            Map.entry(0x0202L, "car"),
            Map.entry(CAR_INDEX_SORTED, "car-index-sorted"),
            Map.entry(CAR_MULTIHASH_INDEX_SORTED, "car-multihash-index-sorted"),
            Map.entry(SHA2_256_TRUNC254_PADDED, "sha2-256-trunc254-padded"),
            Map.entry(BLAKE2B_256, "blake2b-256"),
            Map.entry(BLAKE2B_512, "blake2b-512"),
            Map.entry(BLAKE2S_256, "blake2s-256"),
            Map.entry(0xf101L, "fil-commitment-unsealed"),
            Map.entry(0xf102L, "fil-commitment-sealed"));

    private Multicodec() {
    }

    /** The table name of a code, or {@code 0x...} for a code this toolkit does not know. */
    public static String name(long code) {
        String name = NAMES.get(code);
        return name != null ? name : hex(code);
    }

    /** The table name of a code, if known. */
    public static Optional<String> knownName(long code) {
        return Optional.ofNullable(NAMES.get(code));
    }

    /** The code for a table name or a {@code 0x} hex number. */
    public static long code(String name) throws CidFormatException {
        for (Map.Entry<Long, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        if (name.startsWith("0x")) {
            try {
                return Long.parseUnsignedLong(name.substring(2), 16);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new CidFormatException("unknown multicodec name '" + name + "'");
    }

    /** {@code 0x} followed by at least two lower-case hex digits. */
    public static String hex(long code) {
        String h = Long.toHexString(code);
        return "0x" + (h.length() % 2 == 1 ? "0" + h : h);
    }
}
