package dev.cartool.cli;

import java.io.IOException;
import java.io.PrintWriter;

import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.SectionCursor;
import dev.cartool.car.SectionRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car blocks}: every block's CID in file order, each verified. */
@Command(name = "blocks",
        description = "List the CIDs of a CAR's blocks in file order, one per line; each block is hash-checked.")
final class BlocksCommand extends Verb {
    @Parameters(index = "0", paramLabel = "FILE", description = "A CAR file ('-' for stdin).")
    String file;

    @Option(names = {"-v", "--verbose-list"}, description = "Also print codec, size in bytes and section offset.")
    boolean verboseList;

    @Option(names = "--json", description = "One JSON object per block, a line each: cid, codec, length, offset.")
    boolean json;


    @Override
    public Integer call() throws IOException {
        return list(this, file, verboseList, json);
    }

    /** The listing, also {@code car ls --cids} (go-car's {@code car ls} default). */
    static int list(Verb verb, String file, boolean verboseList, boolean json) throws IOException {
        PrintWriter out = verb.out();
        try (SectionCursor sections = Inputs.sections(verb, file, CarReaderOptions.DEFAULTS, true, n -> { })) {
            SectionCursor.Section s;
            while ((s = sections.next()) != null) {
                if (verb.quiet()) {
                    continue;
                }
                SectionRef b = s.ref();
                if (json) {
                    out.println(Json.obj().put("cid", b.cid().toString()).put("codec", b.cid().codecName())
                            .put("length", b.dataLength()).put("offset", b.offset()));
                } else if (verboseList) {
                    out.println(b.cid() + "\t" + b.cid().codecName() + "\t" + b.dataLength() + "\t" + b.offset());
                } else {
                    out.println(b.cid());
                }
            }
        } finally {
            out.flush();
        }
        return CarCommand.OK;
    }
}
