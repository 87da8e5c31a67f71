package dev.cartool.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import dev.cartool.car.Compression;
import dev.cartool.io.AtomicFile;

/** Writing a verb's one output: a file (whole or not at all) or standard output. */
final class Outputs {
    private Outputs() {
    }

    /** What writes the output's bytes. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The output named by {@code -o} or by a positional argument (go-car's habit); one is required. */
    static String pick(String option, String positional) {
        if (option != null && positional != null && !option.equals(positional)) {
            throw new UsageException("the output is given twice (" + positional + " and -o " + option + ")");
        }
        String out = option != null ? option : positional;
        if (out == null) {
            throw new UsageException("no output: give OUT or -o OUT ('-' for stdout)");
        }
        return out;
    }

    /**
     * Writes {@code body} to {@code out}: standard output for "-", else a temp file beside it that
     * becomes {@code out} only once complete (never replacing a file without {@code force}).
     * Compressed as {@code compression} says (NONE: as is).
     *
     * @return bytes written (before compression)
     */
    static long write(Verb verb, String out, boolean force, Compression compression, Body body) throws IOException {
        if ("-".equals(out)) {
            OutputStream o = verb.binaryOut(); // closing it only flushes: standard output stays open
            OutputStream c = compression.compress(new BufferedOutputStream(o, 1 << 16));
            dev.cartool.io.CountingOutputStream raw = new dev.cartool.io.CountingOutputStream(c);
            body.writeTo(raw);
            c.close(); // finishes the compressed stream
            return raw.count();
        }
        try (AtomicFile f = AtomicFile.create(Path.of(out), force)) {
            OutputStream c = compression.compress(new BufferedOutputStream(f.stream(), 1 << 16));
            dev.cartool.io.CountingOutputStream raw = new dev.cartool.io.CountingOutputStream(c);
            body.writeTo(raw);
            c.close();
            f.commit();
            return raw.count();
        }
    }

    /**
     * Writes a CAR that {@code body} writes as a CARv1: as is for version 1; for version 2 the
     * CARv1 goes to a temp file beside {@code out} first, and is then written as a CARv2 with
     * go-car's index around that payload, byte for byte. Compressed as the name or
     * {@code --compress} says.
     */
    static void writeCar(Verb verb, String out, boolean force, int carVersion, Compression compression, Body body)
            throws IOException {
        if (carVersion != 1 && carVersion != 2) {
            throw new UsageException("--car-version " + carVersion + ": must be 1 or 2");
        }
        if (carVersion == 1) {
            write(verb, out, force, compression, body);
            return;
        }
        Path v1 = tempBeside(verb, out, force);
        try {
            try (OutputStream o = new BufferedOutputStream(java.nio.file.Files.newOutputStream(v1), 1 << 16)) {
                body.writeTo(o);
            }
            writeV2(verb, v1, out, force, compression);
        } finally {
            java.nio.file.Files.deleteIfExists(v1);
        }
    }

    /**
     * A temp file for a CARv1 beside OUT (in $TMPDIR for stdout), after checking OUT may be
     * written, so nothing is made for an output that would be refused.
     */
    static Path tempBeside(Verb verb, String out, boolean force) throws IOException {
        Path dir = "-".equals(out) ? verb.spoolDir() : java.util.Objects.requireNonNullElse(
                Path.of(out).toAbsolutePath().getParent(), Path.of("."));
        if (!"-".equals(out) && !force && java.nio.file.Files.exists(Path.of(out), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileAlreadyExistsException(out);
        }
        return dev.cartool.io.TempPaths.file(dir, ".car-v1-", ".tmp");
    }

    /** The CARv1 in {@code v1} (written just now, from verified blocks) as a CARv2 with go-car's index, to OUT. */
    static void writeV2(Verb verb, Path v1, String out, boolean force, Compression compression) throws IOException {
        try (dev.cartool.car.CarFile car = dev.cartool.car.CarFile.open(v1);
                // The payload was written from verified blocks: the index needs only its section heads.
                dev.cartool.car.SortedIndexBuilder index = dev.cartool.car.CarV2Writer.index(car, false,
                        dev.cartool.car.CarReaderOptions.DEFAULTS.trusting(), 1)) {
            write(verb, out, force, compression, o -> dev.cartool.car.CarV2Writer.write(car, index,
                    dev.cartool.car.SortedIndex.MULTIHASH_INDEX_SORTED, o));
        }
    }

    /** The compression an output asks for: {@code --compress}, else the name's ending (x.car.zst). */
    static Compression compressionOf(String out, String option) {
        if (option != null) {
            try {
                return Compression.byName(option);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--compress " + option + ": " + e.getMessage());
            }
        }
        return out == null || "-".equals(out) ? Compression.NONE : Compression.byFileName(out);
    }

    /**
     * A tar archive's name without its endings ("image.tar.zst" -> "image"); null if the name is
     * not a tar's (.tar, optionally followed by a compression's ending). The one rule for what
     * extract writes as a tar and what pack reads as one.
     */
    static String tarStem(String name) {
        String plain = name.substring(0, name.length() - Compression.byFileName(name).extension().length());
        return plain.endsWith(".tar") ? plain.substring(0, plain.length() - 4) : null;
    }

    static long write(Verb verb, String out, boolean force, Body body) throws IOException {
        return write(verb, out, force, Compression.NONE, body);
    }
}
