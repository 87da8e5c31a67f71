package dev.cartool.cli;

import java.io.IOException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code car create}: go-car's spelling of {@code pack}, with go-car's flags and defaults. */
@Command(name = "create",
        description = {
            "go-car's 'car create': 'car pack' with go-car's flags and defaults. The inputs are wrapped in a "
                + "directory (--no-wrap: not) and written as a CARv2 with an index (--version 1: a CARv1).",
            "The CIDs are those of 'ipfs add --cid-version 1' (go-car's own chunking may differ)."
        })
final class CreateCommand extends Verb {
    @Mixin
    ImportOptionsMixin in;

    @Option(names = {"-f", "--file", "-o", "--output"}, paramLabel = "OUT.car", required = true,
            description = "The CAR to write ('-': stdout). Note: -f names the file here, as in go-car.")
    String output;

    @Option(names = "--version", paramLabel = "N", defaultValue = "2", description = "1 or 2 (default, as go-car).")
    int carVersion;

    @Option(names = "--no-wrap", description = "Do not wrap the inputs in a directory.")
    boolean noWrap;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--compress", paramLabel = "FORMAT", description = "gzip, xz, bzip2, zstd or none (default: from OUT's name).")
    String compress;

    @Option(names = "--json", description = "One JSON object: {\"root\", \"output\", \"inputs\", \"bytes\"}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        in.wrap = in.wrap || !noWrap;
        return PackCommand.pack(this, in, output, force, carVersion, Outputs.compressionOf(output, compress), json);
    }
}
