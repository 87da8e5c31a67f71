package dev.cartool.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.block.BlockSource;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarHeader;
import dev.cartool.car.CarReader;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarStreamSource;
import dev.cartool.car.ParallelVerifier;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;

/** Opening a CAR as a block source, and choosing the root and path a verb works on. */
final class Inputs {
    private Inputs() {
    }

    /** A CAR opened for DAG traversal: random access for a file, a DFS stream for stdin. */
    record Opened(BlockSource source, CarHeader header, Closeable closer) implements Closeable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    /** Bytes of blocks a stream keeps in memory before spooling: CAR_STREAM_CACHE (bytes), else 64 MiB. */
    static long streamCache(Verb verb) {
        return bytesFromEnv(verb, "CAR_STREAM_CACHE", CarStreamSource.DEFAULT_CACHE_BYTES);
    }

    /**
     * Sets the memory of the verb's per-block tables, CAR_TABLE_MEMORY (bytes a table) else
     * 112 MiB, and where they spill past it: the spool directory.
     */
    static void limitTables(Verb verb) {
        dev.cartool.car.TableMemory.set(tableMemory(verb), verb.spoolDir());
    }

    /** Bytes one per-block table holds before it spills: CAR_TABLE_MEMORY, else 112 MiB. */
    static long tableMemory(Verb verb) {
        return bytesFromEnv(verb, "CAR_TABLE_MEMORY", dev.cartool.car.TableMemory.DEFAULT_LIMIT);
    }

    private static long bytesFromEnv(Verb verb, String name, long unset) {
        String v = verb.env().get(name);
        if (v == null || v.isEmpty()) {
            return unset;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException(name + "=" + v + ": not a number of bytes");
    }

    /**
     * A CAR argument as a file that can be read twice and at random: the file itself, or (for
     * standard input or a compressed file) its CARv1/v2 bytes spooled to a temp file, which
     * {@code cleanup} deletes. Says so on stderr unless quiet.
     */
    static Path asFile(Verb verb, String file, List<Path> cleanup) throws IOException {
        verb.input = file;
        if (!Verb.isStream(file)) {
            Path p = Path.of(file);
            if (Files.isDirectory(p)) {
                throw new UsageException(file + ": is a directory, not a CAR file");
            }
            return p;
        }
        Path spool = dev.cartool.io.TempPaths.privateFile(verb.spoolDir(), "car-spool-", ".car");
        cleanup.add(spool);
        if (!verb.quiet()) {
            verb.err().println(verb.name() + ": " + ("-".equals(file) ? "standard input" : file)
                    + ": reading it twice needs a file; spooling it to " + spool);
            verb.err().flush();
        }
        try (InputStream in = Verb.openInput(file); java.io.OutputStream out = Files.newOutputStream(spool)) {
            in.transferTo(out);
        }
        return spool;
    }

    /** Deletes what {@link #asFile} spooled. */
    static void delete(List<Path> spooled) {
        for (Path p : spooled) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is not worth failing the command for
            }
        }
    }

    /** A CAR argument's size for progress: 0 (unknown) for stdin or what cannot be sized. */
    static long sizeOf(String file) {
        if ("-".equals(file)) {
            return 0;
        }
        try {
            return Files.size(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * A CAR argument's sections in file order: by position for a plain file (blocks hashed by the
     * workers that read them), else from the (decompressed) stream. {@code progress} counts the
     * bytes read, for a progress bar.
     *
     * @param verify whether each block is checked against its CID before it is returned
     */
    static dev.cartool.car.SectionCursor sections(Verb verb, String file, CarReaderOptions options, boolean verify,
            java.util.function.LongConsumer progress) throws IOException {
        verb.input = file;
        long[] done = {0};
        java.util.function.Consumer<dev.cartool.car.SectionRef> counted = ref -> {
            progress.accept(ref.end() - done[0]);
            done[0] = ref.end();
        };
        if (isPlainFile(file)) {
            return dev.cartool.car.SectionCursor.observed(dev.cartool.car.SectionCursor.open(Path.of(file), options,
                    Runtime.getRuntime().availableProcessors(), verify, cid -> false), counted);
        }
        InputStream in = Verb.openInput(file);
        try {
            return dev.cartool.car.SectionCursor.observed(
                    dev.cartool.car.SectionCursor.over(CarReader.open(in, options.trusting()), verify), counted);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Whether a CAR argument can be read a second time: a file, not standard input or a named pipe. */
    static boolean canReadTwice(String file) {
        return !"-".equals(file) && Files.isRegularFile(Path.of(file));
    }

    /** A regular file holding an uncompressed CAR: what can be read by position. */
    static boolean isPlainFile(String file) throws IOException {
        return !"-".equals(file) && Files.isRegularFile(Path.of(file)) && !Verb.isStream(file);
    }

    static Opened open(Verb verb, String file, CarReaderOptions options) throws IOException {
        verb.input = file;
        if (Verb.isStream(file)) {
            InputStream in = Verb.openInput(file);
            ParallelVerifier blocks = ParallelVerifier.of(CarReader.open(in, options.trusting()));
            // Blocks that arrive before they are needed (a CAR written leaves first) and outgrow the
            // cache go to a temp file, so any block order works from a pipe in bounded memory.
            Path spoolDir = verb.spoolDir();
            CarStreamSource s = new CarStreamSource(blocks, streamCache(verb), spoolDir, () -> {
                if (!verb.quiet()) {
                    verb.err().println(verb.name() + ": " + ("-".equals(file) ? "standard input" : file)
                            + ": blocks arrive before they are needed (not in DFS order); spooling them to a temp file in "
                            + spoolDir);
                    verb.err().flush();
                }
            });
            return new Opened(s, s.header(), s);
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new UsageException(file + ": is a directory, not a CAR file");
        }
        CarFileSource s = CarFileSource.open(p, options, Runtime.getRuntime().availableProcessors());
        return new Opened(s, s.header(), s);
    }

    /** A CID with an optional path ({@code CID/path}, {@code ipfs://}, {@code /ipfs/}); a usage error if it does not parse. */
    static IpfsPath path(String text) {
        try {
            return IpfsPath.parse(text);
        } catch (CidFormatException e) {
            throw new UsageException(text + ": " + e.getMessage());
        }
    }

    /**
     * The root CID and path: {@code --root} if given (any CID, with a path), else the header's
     * single root; {@code extra} is a path under it.
     */
    static IpfsPath target(CarHeader header, String root, String extra) {
        IpfsPath base;
        if (root != null) {
            try {
                base = IpfsPath.parse(root);
            } catch (CidFormatException e) {
                throw new UsageException("--root " + root + ": " + e.getMessage());
            }
        } else {
            List<Cid> roots = header.roots();
            if (roots.size() != 1) {
                throw new UsageException("the CAR has " + roots.size() + " roots; choose one with --root");
            }
            base = new IpfsPath(roots.get(0), roots.get(0).toString(), List.of());
        }
        if (extra == null || extra.isEmpty()) {
            return base;
        }
        List<String> segs = new ArrayList<>(base.segments());
        try {
            segs.addAll(IpfsPath.segments(extra));
        } catch (CidFormatException e) {
            throw new UsageException(e.getMessage());
        }
        return new IpfsPath(base.cid(), base.cidText(), segs);
    }
}
