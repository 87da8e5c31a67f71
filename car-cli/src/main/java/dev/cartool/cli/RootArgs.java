package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.cid.IpfsPath;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CAR, root and path that {@code extract} and {@code ls} work on. */
final class RootArgs {
    @Parameters(index = "0", paramLabel = "FILE", description = "A CAR file ('-' for stdin: blocks must be in DFS order).")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A path under the root.")
    String path;

    @Option(names = "--root", paramLabel = "CID[/path]",
            description = "Start from this CID (any block in the file), optionally with a path; also ipfs://CID/path.")
    String root;

    Inputs.Opened open() throws IOException {
        return Inputs.open(file);
    }

    IpfsPath target(Inputs.Opened car) {
        return Inputs.target(car.header(), root, path);
    }
}
