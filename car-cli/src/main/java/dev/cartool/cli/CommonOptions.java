package dev.cartool.cli;

import picocli.CommandLine.Option;

/** Options every verb takes. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    @Option(names = "--allow-truncated-digests",
            description = "Accept blocks whose CID carries a digest shorter than its hash function's output.")
    boolean allowTruncatedDigests;

    @Option(names = {"-q", "--quiet"},
            description = "Print no progress and no summaries; errors only (and the data asked for, where that is the point).")
    boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
