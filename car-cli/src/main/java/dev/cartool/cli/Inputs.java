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

    static Opened open(Verb verb, String file, CarReaderOptions options) throws IOException {
        verb.input = file;
        if ("-".equals(file)) {
            InputStream in = Verb.openInput(file);
            ParallelVerifier blocks = ParallelVerifier.of(CarReader.open(in, options.trusting()));
            CarStreamSource s = new CarStreamSource(blocks, CarStreamSource.DEFAULT_CACHE_BYTES);
            return new Opened(s, s.header(), s);
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new UsageException(file + ": is a directory, not a CAR file");
        }
        CarFileSource s = CarFileSource.open(p, options, Runtime.getRuntime().availableProcessors());
        return new Opened(s, s.header(), s);
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
