package dev.cartool.car;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How much memory one per-block table may hold, and where the rest of it goes. The tables are
 * those that grow by a few bytes a block: verify's completeness check, the offsets a scan of a
 * CAR file has passed, a stream's forgotten and spooled blocks. Past the limit a table grows into
 * temp files a sixty-fourth at a time (unlinked at once), read and written a page at a time, so
 * memory stays bounded whatever the number of blocks. A process that makes tables on several
 * threads at once (a gateway's requests) can also cap what they hold together ({@link #setTotal}).
 * Process-wide; read when a table is made.
 */
public final class TableMemory {
    /**
     * Bytes a table holds before it spills: 112 MiB, about 11 million blocks. A table of 10
     * million blocks takes 104 MiB, so those stay in memory; at 128 MiB, a CAR of 11.6 million
     * blocks took verify to 274-279 MiB and extract to 303 MiB, at 112 MiB (and the launchers'
     * heap settings) to 242-253 and 283-287 MiB.
     */
    public static final long DEFAULT_LIMIT = 112L << 20;

    private static volatile long limit = DEFAULT_LIMIT;
    private static volatile Path dir;
    /** What every table made since {@link #setTotal} draws on as well; null: no cap. */
    private static volatile Budget total;
    /** Budgets of tables on different threads draw on one total: their sums change under this. */
    private static final Object LOCK = new Object();

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

    /**
     * Caps the memory that all tables made from now on hold together, each still at most the
     * limit: past it a table grows into files as past its own limit. Tables made before keep to
     * their limit alone.
     *
     * @param totalBytes bytes all those tables may hold; {@link Long#MAX_VALUE}: no cap
     */
    public static void setTotal(long totalBytes) {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("negative table memory: " + totalBytes);
        }
        total = totalBytes == Long.MAX_VALUE ? null : new Budget(totalBytes, null);
    }

    static long limit() {
        return limit;
    }

    /**
     * Bytes one table, or several together, may still take in memory. A table's own budget may
     * draw on one it shares with others (verify's open-block tables on the table of blocks seen's),
     * so each keeps to its share and all of them to the whole. Budgets may be used on several
     * threads at once (tables on different threads draw on one total); a table itself is not.
     */
    static final class Budget {
        private final Budget shared;
        private long left;

        /** A budget of {@code bytes} that also draws on {@code shared} (null: on nothing else). */
        Budget(long bytes, Budget shared) {
            this.left = bytes;
            this.shared = shared;
        }

        /** A budget of one table's worth (the limit set now) within the total, if one is set. */
        static Budget ofTable() {
            return new Budget(limit, total);
        }

        /** Takes {@code bytes} if this budget and every one it draws on have them. */
        boolean take(long bytes) {
            synchronized (LOCK) {
                for (Budget b = this; b != null; b = b.shared) {
                    if (bytes > b.left) {
                        return false;
                    }
                }
                force(bytes);
                return true;
            }
        }

        /** Takes {@code bytes} whether they fit or not (a table's first few KiB). */
        void force(long bytes) {
            synchronized (LOCK) {
                for (Budget b = this; b != null; b = b.shared) {
                    b.left -= bytes;
                }
            }
        }

        /** Gives back bytes taken. */
        void give(long bytes) {
            force(-bytes);
        }
    }

    static Path dir() {
        Path d = dir;
        return d != null ? d : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
