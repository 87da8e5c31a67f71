package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

import dev.cartool.block.Block;
import dev.cartool.block.MissingBlockException;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.cid.Cid;
import dev.cartool.io.AtomicFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car get-block}: one block's raw bytes, verified, to stdout or a file. */
@Command(name = "get-block",
        description = {
            "Write the raw bytes of one block to stdout or a file, after checking its hash.",
            "The block is found by multihash, so a CIDv0 finds the same block as its CIDv1."
        })
final class GetBlockCommand extends Verb {
    @Parameters(index = "0", paramLabel = "FILE", description = "A CAR file ('-' for stdin).")
    String file;

    @Parameters(index = "1", paramLabel = "CID", description = "The block's CID.")
    String cidText;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write to OUT ('-': stdout, the default).")
    String output = "-";

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Cid wanted = Cid.parse(cidText);
        Block found = null;
        if (!isStream(file) && !wanted.isIdentity()) {
            // A file: through its CARv2 index when it has one, else by scanning section heads
            // (no block but the one found is read or hashed).
            input = file;
            if (java.nio.file.Files.isDirectory(Path.of(file))) {
                throw new UsageException(file + ": is a directory, not a CAR file");
            }
            try (dev.cartool.car.CarFileSource src = dev.cartool.car.CarFileSource.open(Path.of(file),
                    CarReaderOptions.DEFAULTS, 0)) {
                found = src.get(wanted);
            }
            if (found == null) {
                throw new MissingBlockException(wanted, "block " + wanted + " is not in " + file);
            }
            return write(found);
        }
        try (InputStream in = open(file); CarReader reader = CarReader.open(in, CarReaderOptions.DEFAULTS.trusting())) {
            Block b;
            while ((b = reader.next()) != null) {
                if (b.cid().multihash().equals(wanted.multihash())) {
                    dev.cartool.block.BlockVerifier.verify(b);
                    found = b;
                    break;
                }
            }
        }
        if (found == null) {
            if (wanted.isIdentity()) {
                found = Block.of(wanted, wanted.multihash().digest());
            } else {
                throw new MissingBlockException(wanted, "block " + wanted + " is not in " + file);
            }
        }
        return write(found);
    }

    private int write(Block found) throws IOException {
        if ("-".equals(output)) {
            OutputStream out = binaryOut();
            found.writeTo(out);
            out.flush();
        } else {
            try (AtomicFile f = AtomicFile.create(Path.of(output), force)) {
                found.writeTo(f.stream());
                f.commit();
            }
        }
        return CarCommand.OK;
    }
}
