package dev.cartool.cli;

import dev.cartool.unixfs.extract.TreeLimits;
import picocli.CommandLine.Option;

/** {@code --max-entries} and {@code --max-size}: how big a tree a verb will walk or write. */
final class LimitOptions {
    @Option(names = "--max-entries", paramLabel = "N",
            description = "Stop past N files, directories and symlinks (default: 1,000,000).")
    Long maxEntries;

    @Option(names = "--max-size", paramLabel = "BYTES",
            description = "Stop past BYTES of file content, e.g. 2T or 500G (default: 1T).")
    String maxSize;

    TreeLimits limits() {
        long entries = maxEntries != null ? maxEntries : TreeLimits.DEFAULTS.maxEntries();
        if (entries < 1) {
            throw new UsageException("--max-entries must be at least 1");
        }
        long bytes = maxSize != null ? parseSize("--max-size", maxSize) : TreeLimits.DEFAULTS.maxBytes();
        return new TreeLimits(entries, bytes);
    }

    /** {@code 123}, {@code 4k}, {@code 5M}, {@code 6G}, {@code 7T} (powers of 1024). */
    static long parseSize(String option, String s) {
        String t = s.trim();
        long unit = 1;
        if (!t.isEmpty()) {
            switch (Character.toUpperCase(t.charAt(t.length() - 1))) {
                case 'K': unit = 1L << 10; break;
                case 'M': unit = 1L << 20; break;
                case 'G': unit = 1L << 30; break;
                case 'T': unit = 1L << 40; break;
                default: break;
            }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v < 0 || v > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return v * unit;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " " + s + ": not a size (a number, optionally with K, M, G or T)");
        }
    }
}
