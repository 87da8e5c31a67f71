package dev.cartool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the process's standard streams are connected to, and text made safe to show there. */
final class Terminal {
    private Terminal() {
    }

    /**
     * Whether file descriptor {@code fd} (1: stdout, 2: stderr) is a terminal. Java has no
     * isatty(3); {@code System.console()} answers for stdin and stdout together, not for one
     * stream. On Linux the descriptor's link names its device.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return fd == 1 && System.console() != null;
        }
    }

    /**
     * Refuses to read a CAR from standard input when there is none: a closed descriptor 0
     * (which the JVM then reuses for a file of its own, so reads would return the jar's bytes)
     * or a terminal (a CAR is never typed).
     */
    static void checkStdin() throws UsageException {
        String target;
        try {
            target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException("-: standard input is closed");
        } catch (IOException | UnsupportedOperationException e) {
            return; // no /proc: nothing to tell
        }
        if (target.endsWith(".jar") || target.endsWith(".jsa") || target.endsWith("/lib/modules")) {
            throw new UsageException("-: standard input is closed");
        }
        if (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")) {
            throw new UsageException("-: standard input is a terminal; pipe or redirect a CAR into it");
        }
    }

    /** A name as {@code ls} shows it on a terminal: control characters escaped. */
    static String escape(String s) {
        return dev.cartool.io.Text.escapeControls(s);
    }
}
