package dev.cartool.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress display on a terminal's stderr: bytes done of total, percentage and rate,
 * redrawn at most five times a second. Silent when stderr is not a terminal or when quiet.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean on;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter err, boolean quiet, long total) {
        this.err = err;
        this.on = !quiet && Terminal.isTerminal(2);
        this.total = total;
    }

    void add(long n) {
        done += n;
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L) {
            lastDraw = now;
            draw(now);
        }
    }

    private void draw(long now) {
        double secs = Math.max(1e-3, (now - start) / 1e9);
        String pct = total > 0 ? String.format(Locale.ROOT, " (%3d%%)", done * 100 / total) : "";
        err.print(String.format(Locale.ROOT, "\r%s / %s%s  %s/s   ", size(done), size(total), pct,
                size((long) (done / secs))));
        err.flush();
        drawn = true;
    }

    void finish() {
        if (on && drawn) {
            draw(System.nanoTime());
            err.println();
            err.flush();
        }
    }

    static String size(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
