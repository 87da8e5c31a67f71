package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;

import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.cid.Cid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code car roots}: the header's roots, one per line. */
@Command(name = "roots", description = "Print the roots in a CAR's header, one per line.")
final class RootsCommand extends Verb {
    @Parameters(index = "0", paramLabel = "FILE", description = "A CAR file ('-' for stdin).")
    String file;

    @picocli.CommandLine.Option(names = "--json", description = "One JSON object: {\"file\", \"version\", \"roots\"}.")
    boolean json;


    @Override
    public Integer call() throws IOException {
        try (InputStream in = open(file); CarReader reader = CarReader.open(in, CarReaderOptions.DEFAULTS)) {
            if (quiet()) {
                return CarCommand.OK;
            }
            if (json) {
                java.util.List<Object> roots = Json.list();
                reader.header().roots().forEach(c -> roots.add(c.toString()));
                out().println(Json.obj().put("file", file).put("version", reader.header().version()).put("roots", roots));
            } else {
                for (Cid root : reader.header().roots()) {
                    out().println(root);
                }
            }
        }
        out().flush();
        return CarCommand.OK;
    }
}
