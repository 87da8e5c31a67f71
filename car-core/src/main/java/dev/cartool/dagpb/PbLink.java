package dev.cartool.dagpb;

import java.util.Objects;

import dev.cartool.cid.Cid;

/**
 * A DAG-PB link: the target's CID, an optional name and an optional cumulative size.
 *
 * @param hash the target (required)
 * @param name the name, or null when the link has none (distinct from the empty name)
 * @param tsize the cumulative size of the target's DAG, or null when absent
 */
public record PbLink(Cid hash, String name, Long tsize) {
    public PbLink {
        Objects.requireNonNull(hash, "hash");
        if (tsize != null && tsize < 0) {
            throw new IllegalArgumentException("Tsize must not be negative: " + tsize);
        }
    }
}
