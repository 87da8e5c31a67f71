package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.car.BlockCursor;
import dev.cartool.car.CarHeader;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarWriter;
import dev.cartool.car.ParallelVerifier;
import dev.cartool.cid.Cid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code car concat}: several CARs as one. */
@Command(name = "concat",
        description = {
            "Join CARs into one: the roots of all of them (in order, each once), then every block of each in turn, "
                + "verified. A block in two inputs is written twice (a CAR may repeat a block; memory stays "
                + "bounded). Inputs may be CARv1 or CARv2, compressed or not."
        })
final class ConcatCommand extends Verb {
    @Parameters(arity = "2..*", paramLabel = "IN", description = "The CARs to join ('-': stdin, once).")
    List<String> files;

    @Mixin
    CarOutOptions out;

    @Override
    public Integer call() throws IOException {
        if (out.output == null) {
            throw new UsageException("no output: give -o OUT ('-' for stdout)");
        }
        // The header comes first, so the roots are read from every input before any block is copied.
        Set<Cid> roots = new LinkedHashSet<>();
        List<String> named = new ArrayList<>(files);
        for (String f : named) {
            if ("-".equals(f) || (!Inputs.canReadTwice(f) && java.nio.file.Files.exists(java.nio.file.Path.of(f))
                    && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(f)))) {
                throw new UsageException("concat reads each input twice (roots, then blocks): "
                        + ("-".equals(f) ? "standard input" : f + ", a pipe,") + " cannot be one");
            }
        }
        for (String f : named) {
            try (InputStream in = open(f); CarReader r = CarReader.open(in, CarReaderOptions.DEFAULTS.trusting())) {
                CarHeader h = r.header();
                roots.addAll(h.roots());
            }
        }
        long[] blocks = {0};
        out.write(this, null, o -> {
            try (CarWriter w = CarWriter.create(dev.cartool.io.NonClosing.output(o), new ArrayList<>(roots))) {
                for (String f : named) {
                    try (InputStream in = open(f);
                            BlockCursor c = ParallelVerifier.of(CarReader.open(in, CarReaderOptions.DEFAULTS.trusting()))) {
                        Block b;
                        while ((b = c.next()) != null) {
                            w.write(b);
                            blocks[0]++;
                        }
                    }
                }
            }
        });
        if (!quiet()) {
            err().println(name() + ": " + plural(blocks[0], "block") + " from " + named.size() + " CARs, "
                    + plural(roots.size(), "root"));
            err().flush();
        }
        return CarCommand.OK;
    }
}
