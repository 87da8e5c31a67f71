package dev.cartool.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.car.CarWriter;
import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.Importer;
import dev.cartool.unixfs.pack.DagPacker;
import dev.cartool.unixfs.pack.FilePacker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code car pack}: files into a CAR with the CIDs and bytes of ipfs add + ipfs dag export. */
@Command(name = "pack",
        description = {
            "Pack files or directories into a CAR with the CIDs 'ipfs add --cid-version 1' gives.",
            "The DAG is written as a CARv1 in 'ipfs dag export' order (root first, depth first, each block "
                + "once): for the same input the file is byte-identical to 'ipfs add --cid-version 1 X && "
                + "ipfs dag export <root>'. Prints the root CID (on stderr when the CAR goes to stdout)."
        })
final class PackCommand extends Verb {
    @Mixin
    ImportOptionsMixin in;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.car", required = true, description = "The CAR to write ('-': stdout).")
    String output;

    @Option(names = "--car-version", paramLabel = "N", defaultValue = "1", description = "1 (default); 2 is not supported yet.")
    int carVersion;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;


    @Option(names = "--json", description = "One JSON object: {\"root\", \"output\", \"inputs\", \"bytes\"} (on stderr with -o -).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (carVersion == 2) {
            throw new UsageException("--car-version 2: writing CARv2 is not supported yet (CARv1 only)");
        }
        if (carVersion != 1) {
            throw new UsageException("--car-version must be 1 (or, later, 2)");
        }
        long total = in.checkInputs();
        DagNode root;
        Path single = in.singleFile();
        if (single != null && !"-".equals(output)) {
            // One read of the file: each chunk goes to its place in the CAR once hashed.
            Progress packing = new Progress(err(), quiet(), total);
            try (Importer imp = in.importer().onProgress(packing::add)) {
                root = FilePacker.pack(imp, single, in.wrap ? Importer.wrapName(single) : null, Path.of(output), force)
                        .root();
            }
            packing.finish();
        } else {
            Progress hashing = new Progress(err(), quiet(), total);
            try (Importer imp = in.importer().onProgress(hashing::add)) {
                root = in.importAll(imp);
            }
            hashing.finish();
            Progress writing = new Progress(err(), quiet(), total);
            if ("-".equals(output)) {
                OutputStream o = binaryOut();
                CarWriter w = CarWriter.create(new BufferedOutputStream(o, 1 << 20), List.of(root.cid()));
                DagPacker.write(root, w, writing::add);
                w.flush();
            } else {
                DagPacker.write(root, Path.of(output), force, writing::add);
            }
            writing.finish();
        }
        String line = root.cid().toString();
        if (json) {
            java.util.List<Object> inputs = Json.list();
            in.paths.forEach(p -> inputs.add(p.toString()));
            line = Json.obj().put("root", line).put("output", output).put("inputs", inputs).put("bytes", total).toString();
        }
        if ("-".equals(output)) {
            // stdout carries the CAR and nothing else: the root goes to stderr.
            if (!quiet() || json) {
                err().println(line);
                err().flush();
            }
        } else {
            out().println(line);
            out().flush();
        }
        return CarCommand.OK;
    }
}
