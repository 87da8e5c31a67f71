package dev.cartool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import dev.cartool.car.CarWriter;
import dev.cartool.car.Compression;
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
            "The DAG is written as a CARv1 (or with --car-version 2 a CARv2 around the same payload) in 'ipfs dag export' order (root first, depth first, each block "
                + "once): for the same input the file is byte-identical to 'ipfs add --cid-version 1 X && "
                + "ipfs dag export <root>'. Prints the root CID (on stderr when the CAR goes to stdout)."
        })
final class PackCommand extends Verb {
    @Mixin
    ImportOptionsMixin in;

    @Mixin
    CarOutOptions out;

    @Option(names = "--json", description = "One JSON object: {\"root\", \"output\", \"inputs\", \"bytes\"} (on stderr with -o -).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (out.output == null) {
            throw new UsageException("no output: give -o OUT.car ('-' for stdout)");
        }
        return pack(this, in, out.output, out.force, out.carVersion, Outputs.compressionOf(out.output, out.compress), json);
    }

    /** Packs {@code in} into {@code output}: the one way {@code pack} and go-car's {@code create} do it. */
    static int pack(Verb verb, ImportOptionsMixin in, String output, boolean force, int carVersion,
            Compression compression, boolean json) throws IOException {
        if (carVersion != 1 && carVersion != 2) {
            throw new UsageException("--car-version " + carVersion + ": must be 1 or 2");
        }
        long total = in.prepare(verb);
        try {
            return packPrepared(verb, in, output, force, carVersion, compression, json, total);
        } finally {
            in.cleanup();
        }
    }

    private static int packPrepared(Verb verb, ImportOptionsMixin in, String output, boolean force, int carVersion,
            Compression compression, boolean json, long total) throws IOException {
        DagNode root;
        Path single = in.singleFile();
        PrintWriter err = verb.err();
        if (single != null && !"-".equals(output) && carVersion == 1 && compression == Compression.NONE) {
            // One read of the file: each chunk goes to its place in the CAR once hashed.
            Progress packing = new Progress(err, verb.quiet(), total);
            try (Importer imp = in.importer().onProgress(packing::add)) {
                root = FilePacker.pack(imp, single, in.wrap ? Importer.wrapName(single) : null, Path.of(output), force)
                        .root();
            }
            packing.finish();
        } else if (single != null) {
            // The same single read into a CARv1 beside OUT, then that payload as a CARv2 or compressed.
            Path v1 = Outputs.tempBeside(verb, output, force);
            try {
                Progress packing = new Progress(err, verb.quiet(), total);
                try (Importer imp = in.importer().onProgress(packing::add)) {
                    root = FilePacker.pack(imp, single, in.wrap ? Importer.wrapName(single) : null, v1, true).root();
                }
                packing.finish();
                if (carVersion == 2) {
                    Outputs.writeV2(verb, v1, output, force, compression);
                } else {
                    Outputs.write(verb, output, force, compression, o -> java.nio.file.Files.copy(v1, o));
                }
            } finally {
                java.nio.file.Files.deleteIfExists(v1);
            }
        } else {
            Progress hashing = new Progress(err, verb.quiet(), total);
            try (Importer imp = in.importer().onProgress(hashing::add)) {
                root = in.importAll(imp);
            }
            hashing.finish();
            Progress writing = new Progress(err, verb.quiet(), total);
            DagNode r = root;
            if (carVersion == 1 && compression == Compression.NONE && !"-".equals(output)) {
                DagPacker.write(root, Path.of(output), force, writing::add);
            } else {
                Outputs.writeCar(verb, output, force, carVersion, compression, o -> {
                    CarWriter w = CarWriter.create(o, List.of(r.cid()));
                    DagPacker.write(r, w, writing::add);
                    w.flush();
                });
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
            if (!verb.quiet() || json) {
                err.println(line);
                err.flush();
            }
        } else {
            verb.out().println(line);
            verb.out().flush();
        }
        return CarCommand.OK;
    }
}
