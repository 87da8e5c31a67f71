package dev.cartool.car;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

import dev.cartool.error.CarException;

/**
 * Compressed CARs: gzip, xz, bzip2 and zstd, recognised by their magic bytes (never by the file
 * name) and streamed through Apache Commons Compress. No CAR can begin with any of these magics:
 * a CAR starts with a varint length and then a CBOR map (0xa0-0xbf), which none of them has in
 * that place.
 */
public enum Compression {
    NONE("", new byte[0]),
    GZIP(".gz", new byte[] {0x1f, (byte) 0x8b}),
    XZ(".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
    BZIP2(".bz2", new byte[] {'B', 'Z', 'h'}),
    ZSTD(".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    /** Bytes {@link #detect} looks at. */
    public static final int MAGIC_LENGTH = 6;

    private final String extension;
    private final byte[] magic;

    Compression(String extension, byte[] magic) {
        this.extension = extension;
        this.magic = magic;
    }

    /** The usual file name ending (".gz"), "" for none. */
    public String extension() {
        return extension;
    }

    /** The lower-case name users write ("gzip", "xz", "bzip2", "zstd", "none"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By name, as {@code --compress} takes it (also the extensions without the dot: gz, bz2, zst). */
    public static Compression byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Compression c : values()) {
            if (c.label().equals(n) || (!c.extension.isEmpty() && c.extension.substring(1).equals(n))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "' (gzip, xz, bzip2, zstd, none)");
    }

    /** By a file name's ending (for output names such as x.car.zst); NONE if it has none of them. */
    public static Compression byFileName(String name) {
        for (Compression c : values()) {
            if (c != NONE && name.endsWith(c.extension)) {
                return c;
            }
        }
        return NONE;
    }

    /** What the first bytes of a stream say it is. */
    public static Compression detect(byte[] head, int length) {
        for (Compression c : values()) {
            if (c != NONE && length >= c.magic.length
                    && java.util.Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /** What a file's first bytes say it is. */
    public static Compression detect(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(MAGIC_LENGTH);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill what the file has
            }
            return detect(b.array(), b.position());
        }
    }

    /**
     * {@code in}, decompressed if its first bytes are one of the magics; otherwise the same
     * bytes. A damaged compressed stream fails as a malformed CAR (a cut one as truncated),
     * naming the format and the decompressed offset reached.
     */
    public static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream ? (BufferedInputStream) in : new BufferedInputStream(in, 1 << 16);
        b.mark(MAGIC_LENGTH);
        byte[] head = b.readNBytes(MAGIC_LENGTH);
        b.reset();
        Compression c = detect(head, head.length);
        return c == NONE ? b : c.decompress(b);
    }

    /** A stream of {@code in} decompressed as this format. */
    public InputStream decompress(InputStream in) throws IOException {
        InputStream raw;
        try {
            switch (this) {
                case GZIP:
                    raw = new GzipCompressorInputStream(in, true);
                    break;
                case XZ:
                    raw = new XZCompressorInputStream(in, true);
                    break;
                case BZIP2:
                    raw = new BZip2CompressorInputStream(in, true);
                    break;
                case ZSTD:
                    raw = new ZstdCompressorInputStream(in);
                    break;
                default:
                    return in;
            }
        } catch (IOException e) {
            throw failure(e, 0);
        }
        return new Checked(new BufferedInputStream(raw, 1 << 16), this);
    }

    /** A stream that compresses into {@code out} as this format (zstd at level 3, gzip at 6). */
    public OutputStream compress(OutputStream out) throws IOException {
        switch (this) {
            case GZIP:
                return new GzipCompressorOutputStream(out);
            case XZ:
                return new XZCompressorOutputStream(out);
            case BZIP2:
                return new BZip2CompressorOutputStream(out);
            case ZSTD:
                return new ZstdCompressorOutputStream(out, 3);
            default:
                return out;
        }
    }

    private CarException failure(IOException e, long at) {
        String what = label() + " stream: " + (e.getMessage() == null ? (e instanceof EOFException ? "the compressed data ends early" : e.getClass().getSimpleName()) : e.getMessage())
                + " (after " + dev.cartool.io.Text.n(at) + " decompressed bytes)";
        return e instanceof EOFException || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("truncated")
                ? new TruncatedCarException(at, what) : new MalformedCarException(at, what);
    }

    /** Turns the decompressor's failures into CAR errors with the offset reached. */
    private static final class Checked extends FilterInputStream {
        private final Compression format;
        private long position;

        Checked(InputStream in, Compression format) {
            super(in);
            this.format = format;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    position++;
                }
                return b;
            } catch (CarException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw format.failure(e instanceof IOException ? (IOException) e : new IOException(e.toString(), e), position);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (CarException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw format.failure(e instanceof IOException ? (IOException) e : new IOException(e.toString(), e), position);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n); // FilterInputStream.skip reads through in.skip
            position += s;
            return s;
        }
    }
}
