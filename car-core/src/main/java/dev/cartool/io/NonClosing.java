package dev.cartool.io;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams whose close leaves the one under them open: a writer that must be closed to finish
 * (a CAR writer, a tar, a compressor) over an output its owner finishes, or standard input
 * read by a closing reader.
 */
public final class NonClosing {
    private NonClosing() {
    }

    /** {@code out}, whose close only flushes. */
    public static OutputStream output(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** {@code in}, whose close does nothing. */
    public static InputStream input(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
