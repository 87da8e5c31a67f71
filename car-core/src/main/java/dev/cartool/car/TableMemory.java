package dev.cartool.car;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How much memory one per-block table may hold, and where the rest of it goes. The tables are
 * those that grow by a few bytes a block: verify's completeness check, the offsets a scan of a
 * CAR file has passed, a stream's forgotten and spooled blocks. Past the limit a table grows into
 * temp files a sixty-fourth at a time (unlinked at once), read and written a page at a time, so
 * memory stays bounded whatever the number of blocks. Process-wide; read when a table is made.
 */
public final class TableMemory {
    /** Bytes a table holds before it spills: 128 MiB, about 12 million blocks. */
    public static final long DEFAULT_LIMIT = 128L << 20;

    private static volatile long limit = DEFAULT_LIMIT;
    private static volatile Path dir;

    private TableMemory() {
    }

    /**
     * Sets the limit of tables made from now on, and the directory their files go to.
     *
     * @param limitBytes bytes of memory a table may hold (0: every table but the smallest goes to files)
     * @param spillDir where the files go
     */
    public static void set(long limitBytes, Path spillDir) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("negative table memory: " + limitBytes);
        }
        limit = limitBytes;
        dir = Objects.requireNonNull(spillDir, "spillDir");
    }

    static long limit() {
        return limit;
    }

    static Path dir() {
        Path d = dir;
        return d != null ? d : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
