package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import dev.cartool.block.Block;
import dev.cartool.block.BlockVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.error.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 9: a digest shorter than its function's output is not a check. */
class TruncatedDigestTest {
    @AfterEach
    void reset() {
        BlockVerifier.allowTruncatedDigests(false);
    }

    static byte[] carOf(Cid cid, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CarWriter w = CarWriter.create(out, List.of(cid))) {
            w.write(Block.of(cid, data));
        }
        return out.toByteArray();
    }

    @Test
    void shortSha256DigestsAreRefusedUnlessAllowed() throws Exception {
        byte[] data = "anything at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] full = Multihash.digest(Multicodec.SHA2_256, data).digest();
        for (int len : new int[] {0, 16, 31}) {
            Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, Arrays.copyOf(full, len)));
            byte[] car = carOf(cid, data);
            VerifyReport r = new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(car));
            assertFalse(r.ok(), len + " bytes");
            assertEquals(Kind.UNVERIFIABLE, r.problems().get(0).kind());
            assertTrue(r.problems().get(0).message().contains("truncated to " + len + " of 32 bytes"), r.problems().toString());
            BlockVerifier.allowTruncatedDigests(true);
            assertTrue(new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(car)).ok());
            BlockVerifier.allowTruncatedDigests(false);
        }
        // The full digest is fine either way, and identity CIDs are their own content.
        Cid good = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, full));
        assertTrue(new CarVerifier(CarReaderOptions.DEFAULTS, 2).verify(new ByteArrayInputStream(carOf(good, data))).ok());
    }
}
