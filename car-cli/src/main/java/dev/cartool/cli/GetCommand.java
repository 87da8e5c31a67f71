package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;
import dev.cartool.store.CarStore;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code car get}: like extract, from the store. */
@Command(name = "get",
        description = {
            "Write the UnixFS file or tree at CID[/path] from the local store, verified, all or "
                + "nothing, as 'car extract' does from a CAR.",
            "Without -o, OUT is named like 'ipfs get' names it."
        })
final class GetCommand extends Verb {
    @Parameters(index = "0", paramLabel = "CID[/path]", description = "Also ipfs://CID/path or /ipfs/CID/path.")
    String target;

    @Mixin
    StoreOption storeOption;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws IOException {
        IpfsPath p;
        try {
            p = IpfsPath.parse(target);
        } catch (CidFormatException e) {
            throw new UsageException(target + ": " + e.getMessage());
        }
        try (CarStore store = storeOption.open()) {
            UnixFsReader reader = new UnixFsReader(store.source(p.cid()));
            return output.write(this, reader, reader.resolve(p.cid(), p.segments()), p);
        }
    }
}
