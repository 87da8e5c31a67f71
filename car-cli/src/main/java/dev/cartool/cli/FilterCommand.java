package dev.cartool.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import dev.cartool.block.Block;
import dev.cartool.car.BlockCursor;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarWriter;
import dev.cartool.car.ParallelVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.Multihash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car filter}: the blocks of a CAR whose CIDs are (or, inverted, are not) in a list. */
@Command(name = "filter",
        description = {
            "Copy the blocks of IN whose CIDs are listed in FILE (one per line; blank lines and '#' comments "
                + "are skipped) to a new CAR with IN's roots, in IN's order, as go-car's 'car filter' does.",
            "Blocks are matched by multihash, so a CIDv0 in the list selects its CIDv1 block too. Every block "
                + "read is verified. With --inverse, the blocks not listed are kept."
        })
final class FilterCommand extends Verb {
    @Parameters(index = "0", paramLabel = "IN", description = "A CAR file ('-': stdin; compressed is fine).")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT", description = "Where to write (as -o).")
    String outArg;

    @Option(names = {"--cids", "--cid-file"}, paramLabel = "FILE", required = true, description = "The CIDs to keep ('-': stdin).")
    String cids;

    @Option(names = "--inverse", description = "Keep the blocks that are NOT listed.")
    boolean inverse;

    @Mixin
    CarOutOptions out;

    @Override
    public Integer call() throws IOException {
        if ("-".equals(cids) && "-".equals(file)) {
            throw new UsageException("IN and --cids cannot both be standard input");
        }
        Set<Multihash> listed = readList(cids);
        long[] kept = {0, 0};
        out.write(this, outArg, o -> {
            try (InputStream in = open(file);
                    BlockCursor blocks = ParallelVerifier.of(CarReader.open(in, CarReaderOptions.DEFAULTS.trusting()));
                    CarWriter w = CarWriter.create(dev.cartool.io.NonClosing.output(o), blocks.header().roots())) {
                Block b;
                while ((b = blocks.next()) != null) {
                    kept[1]++;
                    if (listed.contains(b.cid().multihash()) != inverse) {
                        w.write(b);
                        kept[0]++;
                    }
                }
            }
        });
        if (!quiet()) {
            err().println(name() + ": kept " + kept[0] + " of " + plural(kept[1], "block"));
            err().flush();
        }
        return CarCommand.OK;
    }

    /** The multihashes of a CID list; a line that is not a CID is a usage error naming the line. */
    static Set<Multihash> readList(String name) throws IOException {
        Set<Multihash> out = new HashSet<>();
        InputStream raw;
        try {
            raw = "-".equals(name) ? dev.cartool.io.NonClosing.input(System.in) : Files.newInputStream(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new UsageException(name + ": no such file (the CID list)");
        }
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(raw, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                try {
                    out.add(Cid.parse(t).multihash());
                } catch (CidFormatException e) {
                    throw new UsageException(name + ":" + n + ": not a CID: " + Terminal.escape(t) + " (" + e.getMessage() + ")");
                }
            }
        }
        return out;
    }
}
