package dev.cartool.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the real command objects with captured output. */
final class Cli {
    final int exit;
    final String out;
    final String err;
    final byte[] binary;

    private Cli(int exit, String out, String err, byte[] binary) {
        this.exit = exit;
        this.out = out;
        this.err = err;
        this.binary = binary;
    }

    static Cli run(String... args) {
        return runWith(System.getenv(), args);
    }

    /** Runs with the environment given (HOME, CAR_STORE ...) in place of the process's. */
    static Cli runWith(java.util.Map<String, String> env, String... args) {
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        CommandLine cl = CarCommand.newCommandLine(bin, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Cli(exit, out.toString(), err.toString(), bin.toByteArray());
    }

    /**
     * Runs through {@link QuickStart} (as {@code main} does first) with the environment given;
     * null when the arguments are left to picocli.
     */
    static Cli quick(java.util.Map<String, String> env, String... args) {
        ByteArrayOutputStream bin = new ByteArrayOutputStream();
        CarCommand root = new CarCommand();
        root.binaryOut = bin;
        root.env = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = QuickStart.run(args, root, new PrintWriter(out, true), new PrintWriter(err, true));
        return exit == QuickStart.NOT_HANDLED ? null : new Cli(exit, out.toString(), err.toString(), bin.toByteArray());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
