package dev.cartool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;
import dev.cartool.store.CarStore;
import dev.cartool.unixfs.Extractor;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car get}: like extract, from the store. */
@Command(name = "get",
        description = {
            "Write the UnixFS file or tree at CID[/path] from the local store, verified, all or nothing,",
            "as 'car extract' does from a CAR. Without -o, OUT is named like 'ipfs get' names it."
        })
final class GetCommand extends Verb {
    @Parameters(index = "0", paramLabel = "CID[/path]", description = "Also ipfs://CID/path or /ipfs/CID/path.")
    String target;

    @Mixin
    StoreOption storeOption;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write ('-': a file's bytes to stdout).")
    String output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "No progress and no summary on stderr.")
    boolean quiet;

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
            UnixFsNode node = reader.resolve(p.cid(), p.segments());
            Progress progress = new Progress(err(), quiet, node.kind() == UnixFsNode.Kind.FILE ? node.fileSize() : 0);
            Extractor ex = new Extractor(reader, false, new Extractor.Listener() {
                @Override
                public void bytes(long n) {
                    progress.add(n);
                }
            });
            if ("-".equals(output)) {
                if (node.kind() != UnixFsNode.Kind.FILE) {
                    throw new UsageException("-o -: only a file can go to stdout");
                }
                OutputStream o = binaryOut();
                ex.writeContent(node, o);
                o.flush();
                progress.finish();
                return CarCommand.OK;
            }
            Path out = Path.of(output != null ? output : ExtractCommand.defaultName(p));
            Extractor.Result r = ex.extract(node, out, force);
            progress.finish();
            if (!quiet) {
                err().println("got " + r.files() + " file(s), " + r.bytes() + " bytes to " + out);
            }
            return CarCommand.OK;
        }
    }
}
