package dev.cartool.unixfs.extract;

import dev.cartool.io.Text;

/**
 * Bounds on what one walk of a UnixFS tree may produce. A DAG can name the same subtree many
 * times (a 2 KB CAR of 22 directory levels, each linking its child twice, has 4 million paths),
 * so the size of a CAR says nothing of the size of its tree: listing and extraction stop at
 * these bounds with a {@link TreeLimitException} rather than run without end.
 *
 * @param maxEntries paths visited (files, directories, symlinks) at most
 * @param maxBytes bytes of file content written at most
 */
public record TreeLimits(long maxEntries, long maxBytes) {
    /**
     * A million entries and 1 TiB: past any container image and most datasets, short of a
     * runaway (the 22-level bomb above stops after a second). Users raise them per command.
     */
    public static final TreeLimits DEFAULTS = new TreeLimits(1_000_000L, 1L << 40);

    public TreeLimits {
        if (maxEntries < 1 || maxBytes < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxEntries + " entries, " + maxBytes + " bytes");
        }
    }

    /** Counts a walk's entries and bytes against the limits. Not thread-safe. */
    public final class Counter {
        private long entries;
        private long bytes;

        /** One more entry, at {@code path} under {@code dir}. */
        public void entry(dev.cartool.cid.Cid dir, String path) throws TreeLimitException {
            if (++entries > maxEntries) {
                throw new TreeLimitException(dir, "entries", maxEntries, "the tree has more than "
                        + dev.cartool.io.Text.n(maxEntries) + " entries (reached at '" + path + "')");
            }
        }

        /** {@code n} more bytes of content are about to be written for {@code file}. */
        public void bytes(dev.cartool.cid.Cid file, String path, long n) throws TreeLimitException {
            bytes += n;
            if (bytes > maxBytes || bytes < 0) {
                throw new TreeLimitException(file, "bytes", maxBytes, "the tree holds more than "
                        + dev.cartool.io.Text.n(maxBytes) + " bytes of file content (reached at '" + path + "')");
            }
        }

        public long entries() {
            return entries;
        }
    }

    public Counter counter() {
        return new Counter();
    }
}
