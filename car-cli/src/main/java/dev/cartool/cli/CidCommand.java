package dev.cartool.cli;

import java.io.IOException;

import dev.cartool.unixfs.DagNode;
import dev.cartool.unixfs.Importer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code car cid}: the root CID ipfs add would give, writing nothing. */
@Command(name = "cid",
        description = "Print the root CID 'ipfs add --cid-version 1' would give (like 'ipfs add -n'), writing nothing.")
final class CidCommand extends Verb {
    @Mixin
    ImportOptionsMixin in;

    @Override
    public Integer call() throws IOException {
        in.checkInputs();
        DagNode root;
        try (Importer imp = in.importer()) {
            root = in.importAll(imp);
        }
        out().println(root.cid());
        out().flush();
        return CarCommand.OK;
    }
}
