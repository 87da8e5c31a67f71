package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import dev.cartool.car.CarFile;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarV2Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car detach-index}: a CARv2's index as its own file, byte for byte (go-car's verb). */
@Command(name = "detach-index",
        description = {
            "Copy the index of a CARv2 to its own file (a .carindex), byte for byte, as go-car's 'car detach-index' does.",
            "The index is copied as stored; 'car verify' checks it against the payload, 'car index --detached' makes a new one."
        })
final class DetachIndexCommand extends Verb {
    @Parameters(index = "0", paramLabel = "IN", description = "A CARv2 file ('-': stdin; compressed is fine).")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT", description = "Where to write (as -o).")
    String outArg;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write ('-': stdout).")
    String output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        String out = Outputs.pick(output, outArg);
        if (!isStream(file)) {
            input = file;
            try (CarFile car = CarFile.open(Path.of(file), CarReaderOptions.DEFAULTS.trusting())) {
                check(car.v2());
                try (InputStream index = car.openIndex()) {
                    Outputs.write(this, out, force, index::transferTo);
                }
            }
            return CarCommand.OK;
        }
        try (InputStream in = open(file); CarReader reader = CarReader.open(in, CarReaderOptions.DEFAULTS.trusting())) {
            check(reader.v2());
            while (reader.next() != null) {
                // the payload is passed over to reach the index
            }
            InputStream index = reader.indexStream();
            Outputs.write(this, out, force, index::transferTo);
        }
        return CarCommand.OK;
    }

    private void check(CarV2Header v2) {
        if (v2 == null) {
            throw new UsageException(file + ": a CARv1 has no index ('car index --detached' makes one)");
        }
        if (v2.indexOffset() == 0) {
            throw new UsageException(file + ": this CARv2 has no index (index offset 0; 'car index --detached' makes one)");
        }
    }
}
