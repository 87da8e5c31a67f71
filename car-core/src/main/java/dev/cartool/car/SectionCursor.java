package dev.cartool.car;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;

/**
 * The sections of one CAR in file order, each once its block is checked (when the cursor
 * checks): what listing, inspecting and verifying need, without the bytes of every block.
 * Over a file the sections are read by position ({@link SectionVerifier}: heads on the calling
 * thread, blocks by the workers that hash them); over a stream, from a {@link CarReader}.
 */
public interface SectionCursor extends Closeable {
    /** A section, with its block when the cursor was asked for its bytes (else null). */
    record Section(SectionRef ref, Block block) {
    }

    CarHeader header();

    /** The CARv2 header, or null for a CARv1. */
    CarV2Header v2();

    /** The next section in file order, or null at the end. */
    Section next() throws IOException;

    /**
     * After the last section: a CARv2's index multicodec (read where the header puts it), or -1
     * for a CARv1 or a CARv2 without an index.
     */
    long indexCodec() throws IOException;

    /**
     * Sections of the CAR file at {@code path} (v1 or v2, not compressed), read by position.
     *
     * @param verify whether blocks are hashed (on {@code threads} workers) before they are returned
     * @param wantBytes which blocks are returned with their bytes
     */
    static SectionCursor open(Path path, CarReaderOptions options, int threads, boolean verify,
            Predicate<Cid> wantBytes) throws IOException {
        CarFile file = CarFile.open(path, options.trusting());
        return new SectionVerifier(file, verify ? threads : 0, verify, wantBytes,
                ParallelVerifier.DEFAULT_IN_FLIGHT_BYTES, true);
    }

    /**
     * Sections of a CAR read as a stream; every block comes with its bytes.
     *
     * @param verify whether blocks are hashed (on every core) before they are returned
     */
    static SectionCursor over(CarReader reader, boolean verify) {
        BlockCursor blocks = verify ? ParallelVerifier.of(reader) : reader;
        return new SectionCursor() {
            @Override
            public CarHeader header() {
                return reader.header();
            }

            @Override
            public CarV2Header v2() {
                return reader.v2();
            }

            @Override
            public Section next() throws IOException {
                Block b = blocks.next();
                return b == null ? null
                        : new Section(new SectionRef(b.cid(), b.offset(), b.sectionLength(), b.length()), b);
            }

            @Override
            public long indexCodec() throws IOException {
                return reader.indexCodec();
            }

            @Override
            public void close() throws IOException {
                blocks.close();
            }
        };
    }

    /**
     * {@code in}, telling {@code onSection} of each section as it is returned (a progress bar
     * counts the bytes up to {@link SectionRef#end()}).
     */
    static SectionCursor observed(SectionCursor in, java.util.function.Consumer<SectionRef> onSection) {
        return new SectionCursor() {
            @Override
            public CarHeader header() {
                return in.header();
            }

            @Override
            public CarV2Header v2() {
                return in.v2();
            }

            @Override
            public Section next() throws IOException {
                Section s = in.next();
                if (s != null) {
                    onSection.accept(s.ref());
                }
                return s;
            }

            @Override
            public long indexCodec() throws IOException {
                return in.indexCodec();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
