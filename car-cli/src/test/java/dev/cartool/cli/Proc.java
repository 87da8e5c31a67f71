package dev.cartool.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code car} as its own process (real file descriptors: /dev/full, closed pipes, cwd). */
final class Proc {
    final int exit;
    final byte[] out;
    final String err;

    private Proc(int exit, byte[] out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    /** Runs in {@code dir} with stdout sent to {@code stdout} (null: captured). */
    static Proc run(Path dir, File stdout, String... args) throws IOException, InterruptedException {
        return run(dir, stdout, null, args);
    }

    static Proc run(Path dir, File stdout, File stdin, String... args) throws IOException, InterruptedException {
        return run(List.of("-Xmx256m"), dir, stdout, stdin, args);
    }

    /** As above, with the JVM options given (a smaller heap or direct-memory ceiling, say). */
    static Proc run(List<String> jvm, Path dir, File stdout, File stdin, String... args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "dev.cartool.cli.CarCommand"));
        cmd.addAll(List.of(args));
        Path errFile = Files.createTempFile("car-err", ".txt");
        Path outFile = stdout == null ? Files.createTempFile("car-out", ".bin") : null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(errFile.toFile())
                    .redirectOutput(stdout != null ? stdout : outFile.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            if (stdin != null) {
                pb.redirectInput(stdin);
            }
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("car " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Proc(p.exitValue(), outFile == null ? new byte[0] : Files.readAllBytes(outFile),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errFile);
            if (outFile != null) {
                Files.deleteIfExists(outFile);
            }
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + ", " + out.length + " bytes out\n--- err\n" + err;
    }
}
