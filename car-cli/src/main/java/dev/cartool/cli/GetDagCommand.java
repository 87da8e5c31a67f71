package dev.cartool.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.car.CarWriter;
import dev.cartool.car.DagExporter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.IpfsPath;
import dev.cartool.unixfs.Scopes;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car get-dag}: a sub-DAG of a CAR as its own CAR, through the gateway's exporter. */
@Command(name = "get-dag",
        description = {
            "Write the DAG under CID[/path] as its own CAR, its root the path's target, as go-car's 'car get-dag' does.",
            "A path is followed through UnixFS directories (HAMT shards too). --scope: all (the whole DAG, default), "
                + "entity (a file's blocks, a directory's own blocks) or block (the target block only). --with-path: "
                + "a trustless gateway's path CAR instead: root CID as the CAR's root, the blocks the path passes "
                + "first (check it with 'car verify --partial')."
        })
final class GetDagCommand extends Verb {
    @Parameters(index = "0", paramLabel = "IN", description = "A CAR file ('-': stdin; compressed is fine).")
    String file;

    @Parameters(index = "1", paramLabel = "CID[/path]", description = "The sub-DAG's root, with an optional path.")
    String target;

    @Parameters(index = "2", arity = "0..1", paramLabel = "OUT", description = "Where to write (as -o).")
    String outArg;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "all", description = "all, entity or block.")
    String scope;

    @Option(names = "--with-path", description = "Include the blocks the path passes; the CAR's root is then CID.")
    boolean withPath;

    @Mixin
    CarOutOptions out;

    @Override
    public Integer call() throws IOException {
        IpfsPath p = Inputs.path(target);
        DagExporter.Selector selector;
        switch (scope) {
            case "all":
                selector = DagExporter.ALL;
                break;
            case "entity":
                selector = Scopes.entity();
                break;
            case "block":
                selector = DagExporter.BLOCK;
                break;
            default:
                throw new UsageException("--scope " + scope + ": must be all, entity or block");
        }
        long[] written = {0};
        Cid[] root = {null};
        try (Inputs.Opened car = Inputs.open(this, file, dev.cartool.car.CarReaderOptions.DEFAULTS)) {
            List<Cid> passed = new ArrayList<>();
            Cid at = p.cid();
            if (!p.segments().isEmpty()) {
                UnixFsNode node = new UnixFsReader(car.source()).resolve(p.cid(), p.segments(), passed::add);
                at = node.cid();
            }
            root[0] = at;
            Cid dagRoot = at;
            List<Cid> path = withPath ? passed : List.of();
            Cid header = withPath ? p.cid() : dagRoot;
            out.write(this, outArg, o -> {
                try (CarWriter w = CarWriter.create(dev.cartool.io.NonClosing.output(o), List.of(header))) {
                    written[0] = new DagExporter(car.source()).export(path, dagRoot, selector, w);
                }
            });
        }
        if (!quiet()) {
            err().println(name() + ": " + plural(written[0], "block") + " under " + root[0]);
            err().flush();
        }
        return CarCommand.OK;
    }
}
