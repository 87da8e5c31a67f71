package dev.cartool.cli;

import java.io.PrintWriter;

import dev.cartool.io.Text;

/**
 * A one-line progress display on a terminal's stderr: bytes done of total, percentage, rate and
 * time left, redrawn at most five times a second. Silent when stderr is not a terminal or when
 * quiet (-q), so logs and pipes never get carriage-return lines. Written for the project: the
 * libraries on offer (progressbar, me.tongfei) draw on stdout or need a terminal library, for a
 * dozen lines of arithmetic.
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
        double rate = done / secs;
        String pct = total > 0 ? " (" + Text.padLeft(Long.toString(Math.min(100, done * 100 / total)), 3) + "%)" : "";
        String eta = total > done && rate > 0 ? "  ETA " + duration((long) ((total - done) / rate)) : "";
        err.print("\r" + size(done) + " / " + size(total) + pct + "  " + size((long) rate) + "/s" + eta + "   ");
        err.flush();
        drawn = true;
    }

    static String duration(long seconds) {
        String sec = Text.padLeft(Long.toString(seconds % 60), 2, '0');
        return seconds >= 3600
                ? seconds / 3600 + ":" + Text.padLeft(Long.toString(seconds / 60 % 60), 2, '0') + ":" + sec
                : seconds / 60 + ":" + sec;
    }

    /** {@code in}, counted into this display as it is read. */
    java.io.InputStream counting(java.io.InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws java.io.IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }
        };
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
        long tenths = Math.round(v * 10); // one decimal, as %.1f (without java.util.Formatter's start-up)
        return tenths / 10 + "." + tenths % 10 + " " + units[u];
    }
}
