package dev.cartool.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.car.CarFile;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarV2Writer;
import dev.cartool.car.SortedIndex;
import dev.cartool.car.SortedIndexBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car index}: a CARv1 (or CARv2) as a CARv2 with go-car's index, or the index alone. */
@Command(name = "index",
        description = {
            "Write IN as a CARv2 with an index, as go-car's 'car index' does: the CARv1 payload byte for byte at "
                + "offset 51, then a MultihashIndexSorted index (identity CIDs left out unless --fully-indexed).",
            "Every block is verified first. With --detached only the index is written (a .carindex file)."
        })
final class IndexCommand extends Verb {
    @Parameters(index = "0", paramLabel = "IN", description = "A CAR file ('-': stdin; compressed is fine).")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT", description = "Where to write (as -o).")
    String outArg;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write ('-': stdout).")
    String output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--detached", description = "Write only the index (go-car's .carindex), not a CARv2.")
    boolean detached;

    @Option(names = "--codec", paramLabel = "NAME", defaultValue = "car-multihash-index-sorted",
            description = "car-multihash-index-sorted (default, go-car's) or car-index-sorted.")
    String codec;

    @Option(names = "--fully-indexed", description = "Index identity CIDs too and set the fully-indexed characteristic.")
    boolean fullyIndexed;

    @Override
    public Integer call() throws IOException {
        String out = Outputs.pick(output, outArg);
        long c = codec(codec);
        List<Path> spooled = new ArrayList<>();
        try {
            Path in = Inputs.asFile(this, file, spooled);
            try (CarFile car = CarFile.open(in);
                    SortedIndexBuilder index = CarV2Writer.index(car, fullyIndexed, CarReaderOptions.DEFAULTS,
                            Runtime.getRuntime().availableProcessors())) {
                long n = Outputs.write(this, out, force, o -> {
                    if (detached) {
                        index.writeTo(c, o);
                    } else {
                        CarV2Writer.write(car, index, c, o);
                    }
                });
                if (!quiet() && !"-".equals(out)) {
                    err().println(name() + ": " + plural(index.count(), "block") + " indexed; wrote "
                            + n + " bytes to " + out);
                    err().flush();
                }
            }
        } finally {
            Inputs.delete(spooled);
        }
        return CarCommand.OK;
    }

    static long codec(String name) {
        if ("car-multihash-index-sorted".equals(name) || "0x0401".equals(name)) {
            return SortedIndex.MULTIHASH_INDEX_SORTED;
        }
        if ("car-index-sorted".equals(name) || "0x0400".equals(name)) {
            return SortedIndex.INDEX_SORTED;
        }
        throw new UsageException("--codec " + name + ": not an index codec this tool writes (car-multihash-index-sorted, "
                + "car-index-sorted)");
    }
}
