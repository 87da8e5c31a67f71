package dev.cartool.cli;

import java.io.IOException;

import picocli.CommandLine.Option;

/** How a verb that writes a CAR writes it: where, over what, which version, compressed or not. */
final class CarOutOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT.car", description = "The CAR to write ('-': stdout).")
    String output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--car-version", paramLabel = "N",
            description = "1 (default) or 2: a CARv2 with go-car's index around the same CARv1 payload.")
    int carVersion = 1; // an initial value, not an annotation default: QuickStart starts from it too

    @Option(names = "--compress", paramLabel = "FORMAT",
            description = "gzip, xz, bzip2, zstd or none (default: from OUT's ending, e.g. x.car.zst).")
    String compress;

    /** Writes the CAR {@code body} makes to OUT (or {@code positional}, go-car's habit). */
    void write(Verb verb, String positional, Outputs.Body body) throws IOException {
        String out = Outputs.pick(output, positional);
        Outputs.writeCar(verb, out, force, carVersion, Outputs.compressionOf(out, compress), body);
    }
}
