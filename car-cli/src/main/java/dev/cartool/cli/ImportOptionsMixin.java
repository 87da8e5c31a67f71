package dev.cartool.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.unixfs.importer.DagNode;
import dev.cartool.unixfs.importer.ImportProfile;
import dev.cartool.unixfs.importer.Importer;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code car pack} and {@code car cid} share: the inputs and how they are imported. */
final class ImportOptionsMixin {
    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Files or directories to import, or one tar archive (see --from; '-': a tar on stdin).")
    List<Path> paths;

    @Option(names = {"-w", "--wrap"}, description = "Wrap the input in a directory under its own name (ipfs add -w).")
    boolean wrap;

    // Defaults are initial values, not annotation attributes: the quick path (QuickStart) and
    // picocli then start from the same object.
    @Option(names = "--profile", paramLabel = "NAME",
            description = "kubo (default: ipfs add --cid-version 1, 256 KiB chunks, 174 links) or "
                    + "unixfs-v1-2025 (1 MiB chunks, 1024 links).")
    String profile = "kubo";

    @Option(names = "--cid-version", paramLabel = "N",
            description = "1 (default: raw leaves, CIDv1) or 0 (plain ipfs add: CIDv0, DAG-PB leaves).")
    int cidVersion = 1;

    @Option(names = {"-s", "--chunker"}, paramLabel = "size-N",
            description = "Cut files into N-byte chunks (ipfs add --chunker=size-N; N up to 1048576). "
                    + "Default: the profile's.")
    String chunker;

    @Option(names = {"-H", "--hidden"}, description = "Include files and directories whose names start with a dot.")
    boolean hidden;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per processor).")
    Integer threads;

    @Option(names = "--from", paramLabel = "KIND",
            description = "files or tar: what PATH is. A tar archive's tree is imported as if extracted into an empty "
                    + "directory, without unpacking it. Default: tar for '-' (stdin) and for names ending in .tar "
                    + "(or .tar.gz, .tar.xz, .tar.bz2, .tar.zst), files otherwise.")
    String from;

    /** The tar archive being imported, as a file; null when importing files. */
    private Path tar;
    /** What was spooled to make {@link #tar} a file (stdin, a compressed archive). */
    private final List<Path> spooled = new ArrayList<>();

    /** Whether PATH is a tar archive: --from, else the name. */
    private boolean isTar() {
        if (from != null) {
            switch (from) {
                case "tar":
                    return true;
                case "files":
                    return false;
                default:
                    throw new UsageException("--from " + from + ": must be files or tar");
            }
        }
        if (paths.size() != 1) {
            return false;
        }
        String name = paths.get(0).toString();
        if (name.equals("-")) {
            return true;
        }
        return Outputs.tarStem(name) != null;
    }

    /**
     * Checks the inputs and readies a tar archive (spooling standard input or a compressed archive
     * to a temp file, said on stderr); returns the bytes to hash, for progress. Call
     * {@link #cleanup} after the DAG is written.
     */
    long prepare(Verb verb) throws IOException {
        if (!isTar()) {
            return checkInputs();
        }
        if (paths.size() != 1) {
            throw new UsageException("--from tar takes one archive ('-' for stdin)");
        }
        String name = paths.get(0).toString();
        boolean plainFile = !"-".equals(name) && dev.cartool.car.Compression.detect(Path.of(name)) == dev.cartool.car.Compression.NONE;
        if (plainFile) {
            tar = paths.get(0);
        } else {
            tar = dev.cartool.io.TempPaths.privateFile(verb.spoolDir(), "car-tar-", ".tar");
            spooled.add(tar);
            if (!verb.quiet()) {
                verb.err().println(verb.name() + ": " + ("-".equals(name) ? "standard input" : name)
                        + ": a tar is read from a file; spooling it (decompressed) to " + tar);
                verb.err().flush();
            }
            try (java.io.InputStream in = Verb.openInput(name); java.io.OutputStream out = Files.newOutputStream(tar)) {
                in.transferTo(out);
            }
        }
        return Files.size(tar);
    }

    /** Deletes what {@link #prepare} spooled. */
    void cleanup() {
        Inputs.delete(spooled);
    }

    ImportProfile profile() {
        try {
            return ImportProfile.of(profile);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--profile " + e.getMessage());
        }
    }

    Importer importer() {
        if (cidVersion != 0 && cidVersion != 1) {
            throw new UsageException("--cid-version must be 0 or 1");
        }
        if (threads != null && threads < 1) {
            throw new UsageException("--threads " + threads + ": must be at least 1");
        }
        Importer imp = new Importer(profile(), cidVersion, hidden,
                threads != null ? threads : Runtime.getRuntime().availableProcessors());
        if (chunker != null) {
            int n;
            try {
                if (!chunker.startsWith("size-")) {
                    throw new NumberFormatException();
                }
                n = Integer.parseInt(chunker.substring(5));
                imp.chunkSize(n);
            } catch (IllegalArgumentException e) {
                imp.close();
                throw new UsageException("--chunker " + chunker + ": only size-N is supported, N from 1 to "
                        + Importer.MAX_CHUNK_SIZE);
            }
        }
        return imp;
    }

    /** Checks the inputs exist and returns the bytes of file content under them. */
    long checkInputs() throws IOException {
        if (paths.size() > 1 && !wrap) {
            throw new UsageException(paths.size() + " inputs need --wrap to go in one directory (a CAR has one root here)");
        }
        if (wrap) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Path p : paths) {
                String name;
                try {
                    name = Importer.wrapName(p);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                if (!names.add(name)) {
                    throw new UsageException("two inputs are named '" + name + "'; --wrap puts them in one directory");
                }
            }
        }
        long total = 0;
        for (Path p : paths) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(p.toString());
            }
            if (Files.isRegularFile(p)) {
                total += Files.size(p);
            } else if (Files.isDirectory(p)) {
                try (var walk = Files.walk(p)) {
                    total += walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }
        }
        return total;
    }

    /** The input when it is one regular file (packed in a single read); null otherwise. */
    Path singleFile() {
        return tar == null && paths.size() == 1 && Files.isRegularFile(paths.get(0)) ? paths.get(0) : null;
    }

    DagNode importAll(Importer imp) throws IOException {
        if (tar != null) {
            DagNode tree = imp.importTar(tar);
            if (!wrap) {
                return tree;
            }
            String name = "-".equals(paths.get(0).toString()) ? "stdin" : Importer.wrapName(paths.get(0));
            String stem = Outputs.tarStem(name);
            return imp.wrapOne(stem != null ? stem : name, tree);
        }
        return wrap ? imp.importWrapped(new ArrayList<>(paths)) : imp.importPath(paths.get(0));
    }
}
