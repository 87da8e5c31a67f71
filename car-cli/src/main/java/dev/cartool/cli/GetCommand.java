package dev.cartool.cli;

import java.io.IOException;

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
        IpfsPath p = Inputs.path(target);
        try (CarStore store = storeOption.openExisting(env())) {
            // The store's CARs as they are now: a one-shot read need not look for imports on the
            // way (following them cost a clock read and a lock a block: 10 million blocks).
            dev.cartool.block.BlockSource source = store.source(p.cid()).snapshot();
            if (source.get(p.cid()) == null) {
                // Not a damaged image: the store does not hold this CID at all. Say which store.
                throw new dev.cartool.block.MissingBlockException(p.cid(), p.cidText() + " is not in the store at "
                        + store.directory() + " (" + store.list().size() + " root(s) there; 'car import' a CAR that holds it)");
            }
            UnixFsReader reader = new UnixFsReader(source);
            return output.write(this, reader, reader.resolve(p.cid(), p.segments()), p);
        }
    }
}
