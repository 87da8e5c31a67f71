package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.cid.IpfsPath;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code car extract}: a UnixFS file or tree out of a CAR, verified, all or nothing. */
@Command(name = "extract",
        description = {
            "Write the UnixFS file or directory tree under a root to OUT, verifying every block, "
                + "every size and the total length.",
            "OUT appears only when complete: on any failure nothing is left behind. Without -o, "
                + "OUT is named like 'ipfs get' names it: the last path segment, or the root CID."
        })
final class ExtractCommand extends Verb {
    @Mixin
    RootArgs args;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        try (Inputs.Opened car = args.open(this)) {
            IpfsPath target = args.target(car);
            UnixFsReader reader = new UnixFsReader(car.source());
            return output.write(this, reader, reader.resolve(target.cid(), target.segments()), target);
        }
    }

    /** As {@code ipfs get}: the last path segment, or the root CID as written. */
    static String defaultName(IpfsPath target) {
        return OutputOptions.defaultName(target);
    }
}
