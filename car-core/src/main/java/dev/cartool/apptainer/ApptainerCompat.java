package dev.cartool.apptainer;

import java.util.Optional;

import dev.cartool.cid.Cid;
import dev.cartool.cid.Multibase;
import dev.cartool.cid.Multicodec;

/**
 * What Apptainer's {@code ipfs://} source accepts as a root (apptainer 1.5): a CIDv1 written
 * in base32, codec dag-pb, hash sha2-256 ({@code bafybei...}). It rejects CIDv0 and raw roots.
 */
public final class ApptainerCompat {
    private ApptainerCompat() {
    }

    /**
     * Why Apptainer would refuse this CID as an {@code ipfs://} root, or empty if it accepts it.
     *
     * @param writtenIn the multibase the CID is written in
     */
    public static Optional<String> rejection(Cid cid, Multibase writtenIn) {
        if (cid.codec() != Multicodec.DAG_PB) {
            return Optional.of("codec is " + cid.codecName() + "; Apptainer needs a dag-pb root"
                    + (cid.codec() == Multicodec.RAW ? " (a file of one chunk: wrap it in a directory)" : ""));
        }
        if (cid.multihash().code() != Multicodec.SHA2_256 || cid.multihash().digestLength() != 32) {
            return Optional.of("hash is " + cid.multihash().name() + "; Apptainer needs sha2-256");
        }
        if (cid.version() == 0) {
            return Optional.of("CIDv0; Apptainer needs the CIDv1 base32 form " + cid.toV1());
        }
        if (writtenIn != Multibase.BASE32) {
            return Optional.of("written in " + writtenIn.displayName()
                    + "; Apptainer needs the base32 form " + cid.toV1());
        }
        return Optional.empty();
    }
}
