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
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to import.")
    List<Path> paths;

    @Option(names = {"-w", "--wrap"}, description = "Wrap the input in a directory under its own name (ipfs add -w).")
    boolean wrap;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "kubo",
            description = "kubo (default: ipfs add --cid-version 1, 256 KiB chunks, 174 links) or "
                    + "unixfs-v1-2025 (1 MiB chunks, 1024 links).")
    String profile;

    @Option(names = "--cid-version", paramLabel = "N", defaultValue = "1",
            description = "1 (default: raw leaves, CIDv1) or 0 (plain ipfs add: CIDv0, DAG-PB leaves).")
    int cidVersion;

    @Option(names = {"-s", "--chunker"}, paramLabel = "size-N",
            description = "Cut files into N-byte chunks (ipfs add --chunker=size-N; N up to 1048576). "
                    + "Default: the profile's.")
    String chunker;

    @Option(names = {"-H", "--hidden"}, description = "Include files and directories whose names start with a dot.")
    boolean hidden;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: one per processor).")
    Integer threads;

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
        return paths.size() == 1 && Files.isRegularFile(paths.get(0)) ? paths.get(0) : null;
    }

    DagNode importAll(Importer imp) throws IOException {
        return wrap ? imp.importWrapped(new ArrayList<>(paths)) : imp.importPath(paths.get(0));
    }
}
