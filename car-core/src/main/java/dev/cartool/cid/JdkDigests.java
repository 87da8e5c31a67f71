package dev.cartool.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Map;

/**
 * JDK message digests without the provider list. {@code MessageDigest.getInstance(name)} first
 * builds the JDK's providers from the security properties, and the SUN provider registers
 * every service it has (its object-identifier table among them): 16-29 ms in a plain JVM, at
 * a short command's start, on its critical path, to find one class. A digest's implementation class in
 * {@code java.base} is named here and asked of a provider that holds only it; the digest
 * is the same object the provider list would have given (the same class, the same intrinsics).
 * On a JDK whose classes are named otherwise, the provider list is asked as before.
 */
final class JdkDigests {
    /** Implementation classes of the SUN provider in OpenJDK 9 and later. */
    private static final Map<String, String> CLASSES = Map.of(
            "SHA-1", "sun.security.provider.SHA",
            "SHA-256", "sun.security.provider.SHA2$SHA256",
            "SHA-512", "sun.security.provider.SHA5$SHA512",
            "SHA3-224", "sun.security.provider.SHA3$SHA224",
            "SHA3-256", "sun.security.provider.SHA3$SHA256",
            "SHA3-384", "sun.security.provider.SHA3$SHA384",
            "SHA3-512", "sun.security.provider.SHA3$SHA512");

    private JdkDigests() {
    }

    /** A new digest for a JDK algorithm name, e.g. {@code SHA-256}. */
    static MessageDigest open(String algorithm) throws NoSuchAlgorithmException {
        return open(algorithm, CLASSES.get(algorithm));
    }

    /** A new digest from the class {@code impl} (null: none), else from the provider list. */
    static MessageDigest open(String algorithm, String impl) throws NoSuchAlgorithmException {
        if (impl != null) {
            try {
                MessageDigest md = MessageDigest.getInstance(algorithm, new Direct(algorithm, impl));
                if (md.getDigestLength() > 0) {
                    return md;
                }
            } catch (NoSuchAlgorithmException | RuntimeException | LinkageError notHere) {
                // another JDK's names: the provider list below
            }
        }
        return MessageDigest.getInstance(algorithm);
    }

    /** A provider with one digest: the JDK's own implementation class, found by name. */
    static final class Direct extends Provider {
        private static final long serialVersionUID = 1L;

        Direct(String algorithm, String className) {
            super("car-jdk-direct", "1", "the JDK's own " + algorithm + " class, without the provider list");
            putService(new Service(this, "MessageDigest", algorithm, className, null, null));
        }
    }
}
