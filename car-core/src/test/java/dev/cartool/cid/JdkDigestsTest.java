package dev.cartool.cid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Digests taken without the provider list are the provider list's digests. */
class JdkDigestsTest {
    private static final List<String> NAMES =
            List.of("SHA-1", "SHA-256", "SHA-512", "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512");

    @Test
    void everyNamedClassIsTakenDirectlyAndHashesAsTheProviderListDoes() throws Exception {
        Random random = new Random(14);
        for (String name : NAMES) {
            MessageDigest direct = JdkDigests.open(name);
            assertEquals("car-jdk-direct", direct.getProvider().getName(), name);
            assertEquals(MessageDigest.getInstance(name).getDigestLength(), direct.getDigestLength(), name);
            for (int len : new int[] {0, 1, 55, 56, 64, 1000, 262_144 + 7}) {
                byte[] data = new byte[len];
                random.nextBytes(data);
                assertArrayEquals(MessageDigest.getInstance(name).digest(data), direct.digest(data), name + " of " + len);
            }
            // a clone carries the state; the original goes on from where it was
            direct.update(new byte[] {1, 2, 3});
            MessageDigest copy = (MessageDigest) direct.clone();
            MessageDigest expected = MessageDigest.getInstance(name);
            expected.update(new byte[] {1, 2, 3});
            assertArrayEquals(expected.digest(), copy.digest(), name + " clone");
        }
    }

    @Test
    void aClassThisJdkLacksFallsBackToTheProviderList() throws Exception {
        MessageDigest md = JdkDigests.open("SHA-256", "sun.security.provider.NoSuchDigest");
        assertEquals(MessageDigest.getInstance("SHA-256").getProvider().getName(), md.getProvider().getName());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(new byte[] {9}), md.digest(new byte[] {9}));
    }

    @Test
    void aNameWithoutAClassGoesToTheProviderList() throws Exception {
        MessageDigest md = JdkDigests.open("MD5");
        assertEquals(MessageDigest.getInstance("MD5").getProvider().getName(), md.getProvider().getName());
    }
}
