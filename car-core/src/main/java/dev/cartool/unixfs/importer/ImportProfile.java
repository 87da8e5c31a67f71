package dev.cartool.unixfs.importer;

/**
 * How files are cut and laid out when imported, as Kubo and the JS importer name them.
 */
public enum ImportProfile {
    /** {@code ipfs add --cid-version 1}: 262,144-byte chunks, at most 174 links a node. */
    KUBO("kubo", 262_144, 174, false),
    /** IPIP-499 {@code unixfs-v1-2025}: 1 MiB chunks, at most 1,024 links a node. */
    UNIXFS_V1_2025("unixfs-v1-2025", 1_048_576, 1024, true);

    /** A directory whose estimated size passes this becomes a HAMT shard (Kubo: 256 KiB). */
    public static final long SHARD_THRESHOLD = 262_144;
    /** HAMT fanout (8 bits a level). */
    public static final int SHARD_FANOUT = 256;

    private final String label;
    private final int chunkSize;
    private final int maxLinks;
    private final boolean exactBlockSizeEstimate;

    ImportProfile(String label, int chunkSize, int maxLinks, boolean exactBlockSizeEstimate) {
        this.label = label;
        this.chunkSize = chunkSize;
        this.maxLinks = maxLinks;
        this.exactBlockSizeEstimate = exactBlockSizeEstimate;
    }

    public String label() {
        return label;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int maxLinks() {
        return maxLinks;
    }

    /**
     * How a directory's size is estimated for the sharding decision: the serialized size of its
     * node ({@code block-bytes}, unixfs-v1-2025) or the sum of link name and CID lengths
     * ({@code links-bytes}, Kubo's default).
     */
    public boolean exactBlockSizeEstimate() {
        return exactBlockSizeEstimate;
    }

    public static ImportProfile of(String label) {
        for (ImportProfile p : values()) {
            if (p.label.equals(label) || (p == UNIXFS_V1_2025 && label.equals("v1-2025"))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + label + "' (kubo or unixfs-v1-2025)");
    }
}
