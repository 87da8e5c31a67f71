package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.Importer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code car cid}: the root CID ipfs add would give, writing nothing. */
@Command(name = "cid",
        description = "Print the root CID 'ipfs add --cid-version 1' would give (like 'ipfs add -n'), writing nothing.")
final class CidCommand extends Verb {
    @Mixin
    ImportOptionsMixin in;

    @picocli.CommandLine.Option(names = "--json", description = "One JSON object: {\"root\", \"inputs\", \"bytes\"}.")
    boolean json;


    @Override
    public Integer call() throws IOException {
        long total = in.prepare(this);
        DagNode root;
        Progress hashing = new Progress(err(), quiet(), total);
        try (Importer imp = in.importer().onProgress(hashing::add)) {
            root = in.importAll(imp);
        } finally {
            in.cleanup();
        }
        hashing.finish();
        if (json) {
            java.util.List<Object> inputs = Json.list();
            in.paths.forEach(p -> inputs.add(p.toString()));
            out().println(Json.obj().put("root", root.cid().toString()).put("inputs", inputs).put("bytes", total));
        } else {
            out().println(root.cid());
        }
        out().flush();
        return CarCommand.OK;
    }
}
