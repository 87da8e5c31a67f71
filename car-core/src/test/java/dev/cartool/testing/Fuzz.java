package dev.cartool.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The fuzz campaign's one invariant: a decoder given any input succeeds, or throws one of the
 * project's own exceptions with a message; never another exception, never a hang. A failing
 * input is written to target/fuzz-failures/ so that it can be committed under
 * testdata/regressions/ (which {@code RegressionFixturesTest} replays).
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** The code under test. */
    @FunctionalInterface
    public interface Target {
        void run() throws Exception;
    }

    /** Runs {@code target} on {@code input}, allowing only the {@code allowed} exceptions. */
    @SafeVarargs
    public static void cleanly(String decoder, byte[] input, Target target, Class<? extends Throwable>... allowed) {
        Throwable[] bad = {null};
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                target.run();
            } catch (Throwable e) {
                for (Class<? extends Throwable> a : allowed) {
                    if (a.isInstance(e) && e.getMessage() != null && !e.getMessage().isBlank()) {
                        return;
                    }
                }
                bad[0] = e;
            }
        }, () -> decoder + " hung on " + save(decoder, input));
        if (bad[0] != null) {
            throw new AssertionError(decoder + ": unexpected " + bad[0] + " on " + save(decoder, input), bad[0]);
        }
    }

    private static String save(String decoder, byte[] input) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            Path f = dir.resolve(decoder + "-" + Integer.toHexString(Arrays.hashCode(input)) + ".bin");
            Files.write(f, input);
            return f.toAbsolutePath() + " (" + input.length + " bytes: "
                    + HexFormat.of().formatHex(input, 0, Math.min(input.length, 64)) + (input.length > 64 ? "..." : "") + ")";
        } catch (IOException e) {
            return HexFormat.of().formatHex(input, 0, Math.min(input.length, 256));
        }
    }

    /** Structure-blind damage: flip a bit, set a byte, truncate, cut a piece, or insert bytes. */
    public static byte[] mutate(byte[] b, int kind, int where, int value) {
        if (b.length == 0) {
            return new byte[] {(byte) value};
        }
        int at = Math.floorMod(where, b.length);
        switch (Math.floorMod(kind, 5)) {
            case 0: {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << (value & 7));
                return c;
            }
            case 1: {
                byte[] c = b.clone();
                c[at] = (byte) value;
                return c;
            }
            case 2:
                return Arrays.copyOf(b, at);
            case 3: {
                int len = Math.min((value & 0xff) + 1, b.length - at);
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                return c;
            }
            default: {
                byte[] ins = {(byte) value, (byte) 0xff, (byte) 0x80, 0};
                int n = 1 + (value >>> 8 & 3);
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(ins, 0, c, at, n);
                System.arraycopy(b, at, c, at + n, b.length - at);
                return c;
            }
        }
    }
}
