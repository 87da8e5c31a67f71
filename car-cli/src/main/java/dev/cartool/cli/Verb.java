package dev.cartool.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the verbs: output through picocli's writers, input from a file or stdin. */
abstract class Verb implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /**
     * What a verb run without picocli ({@link QuickStart}) has instead of {@link #spec}: its
     * name, its writers and the root command. Null when picocli runs it.
     */
    record Direct(String name, PrintWriter out, PrintWriter err, CarCommand root) {
    }

    Direct direct;

    PrintWriter out() {
        return direct != null ? direct.out() : spec.commandLine().getOut();
    }

    PrintWriter err() {
        return direct != null ? direct.err() : spec.commandLine().getErr();
    }

    /** The verb as its messages name it: {@code car roots}. */
    String name() {
        return direct != null ? direct.name() : spec.qualifiedName();
    }

    /** Prints a one-line error for {@code what} on stderr, prefixed with the verb's name. */
    void error(String message) {
        err().println(name() + ": " + message);
        err().flush();
    }

    /** The CAR this verb is reading, named in its errors (set by {@link #open}). */
    String input;

    /** Opens a CAR argument: a file, or standard input for {@code -}; decompressed if it is compressed. */
    InputStream open(String name) throws IOException {
        input = name;
        return openInput(name);
    }

    /** A CAR argument's bytes, decompressed when they start with a gzip, xz, bzip2 or zstd magic. */
    static InputStream openInput(String name) throws IOException {
        return dev.cartool.car.Compression.decompressing(openRaw(name));
    }

    /** A CAR argument's bytes as they are (compressed or not). */
    static InputStream openRaw(String name) throws IOException {
        if ("-".equals(name)) {
            Terminal.checkStdin();
            return new BufferedInputStream(dev.cartool.io.NonClosing.input(System.in), 1 << 16);
        }
        Path p = Path.of(name);
        if (Files.isDirectory(p)) {
            throw new UsageException(name + ": is a directory, not a CAR file");
        }
        // A named pipe (mkfifo, or a shell's <(...)) is read with FileInputStream: the NIO stream's
        // available(), which BufferedInputStream asks between reads, seeks, and a pipe cannot.
        boolean pipe = Files.exists(p) && !Files.isRegularFile(p); // a missing file still says "no such file"
        return new BufferedInputStream(pipe ? new java.io.FileInputStream(p.toFile()) : Files.newInputStream(p), 1 << 16);
    }

    /**
     * Whether a CAR argument must be read as a stream: standard input, a compressed file, or a
     * named pipe or device (a shell's {@code <(...)}), which cannot be read by position.
     */
    static boolean isStream(String name) throws IOException {
        if ("-".equals(name)) {
            return true;
        }
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
            return Files.exists(p) && !Files.isDirectory(p);
        }
        return dev.cartool.car.Compression.detect(p) != dev.cartool.car.Compression.NONE;
    }

    /**
     * What a verb sets for the whole process before it runs, through picocli or the quick start
     * alike: whether truncated digests pass, and the per-block tables' memory and directory.
     *
     * @throws UsageException if CAR_TABLE_MEMORY is not a number of bytes
     */
    void applyProcessSettings() {
        dev.cartool.block.BlockVerifier.allowTruncatedDigests(common.allowTruncatedDigests);
        Inputs.limitTables(this);
    }

    /** Where spooled data goes: $TMPDIR, else the JVM's temp directory. */
    Path spoolDir() {
        String t = env().get("TMPDIR");
        return Path.of(t != null && !t.isEmpty() ? t : System.getProperty("java.io.tmpdir"));
    }

    /** Raw bytes go to this stream, not through the PrintWriter (which would encode them). */
    OutputStream binaryOut() {
        Object root = root();
        OutputStream o = root instanceof CarCommand ? ((CarCommand) root).binaryOut : null;
        return dev.cartool.io.NonClosing.output(o != null ? o : System.out);
    }

    /** {@code -q}: every verb takes it. */
    boolean quiet() {
        return common.quiet;
    }

    /** The environment: the process's, or the one a test gave the command line. */
    java.util.Map<String, String> env() {
        Object root = root();
        return root instanceof CarCommand ? ((CarCommand) root).env : System.getenv();
    }

    private Object root() {
        return direct != null ? direct.root() : spec.root().userObject();
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
