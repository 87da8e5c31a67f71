package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.cid.IpfsPath;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CAR, root and path that {@code extract} and {@code ls} work on. */
final class RootArgs {
    @Parameters(index = "0", paramLabel = "FILE", description = "A CAR file ('-' for stdin; any block order; compressed is fine).")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A path under the root.")
    String path;

    @Option(names = "--root", paramLabel = "CID[/path]",
            description = "Start from this CID (any block in the file), optionally with a path; also ipfs://CID/path.")
    String root;

    @Option(names = "--max-section", paramLabel = "BYTES",
            description = "Largest section accepted, e.g. 32M (default: 8M, as go-car).")
    String maxSection;

    Inputs.Opened open(Verb verb) throws IOException {
        return Inputs.open(verb, file, options());
    }

    dev.cartool.car.CarReaderOptions options() {
        return withMaxSection(dev.cartool.car.CarReaderOptions.DEFAULTS, maxSection);
    }

    /** {@code --max-section}: 1 byte to 1 GiB. */
    static dev.cartool.car.CarReaderOptions withMaxSection(dev.cartool.car.CarReaderOptions o, String value) {
        if (value == null) {
            return o;
        }
        long n = LimitOptions.parseSize("--max-section", value);
        if (n < 1 || n > (1L << 30)) {
            throw new UsageException("--max-section " + value + ": must be from 1 byte to 1G");
        }
        return o.withMaxSectionLength((int) n);
    }

    IpfsPath target(Inputs.Opened car) {
        return Inputs.target(car.header(), root, path);
    }
}
