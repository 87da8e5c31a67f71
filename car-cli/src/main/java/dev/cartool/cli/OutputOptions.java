package dev.cartool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.cartool.cid.IpfsPath;
import dev.cartool.sif.SifInfo;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import dev.cartool.unixfs.extract.Extractor;
import picocli.CommandLine.Option;

/** Where and how {@code extract} and {@code get} write what they resolved. */
final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write ('-': a file's bytes to stdout).")
    String output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT if it exists.")
    boolean force;

    @Option(names = "--partial", description = "Extract what is present, name each entry whose blocks are missing, exit 1.")
    boolean partial;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "files (the default) or tar: a tar stream with modes, mtimes and symlinks; the default is tar "
                    + "when OUT ends in .tar (or .tar.gz, .tar.zst ...) and for a directory to stdout (-o -).")
    String format;

    @Option(names = "--compress", paramLabel = "FORMAT",
            description = "With tar: gzip, xz, bzip2, zstd or none (default: from OUT's ending).")
    String compress;


    @picocli.CommandLine.Mixin
    LimitOptions limitOptions;

    /** Writes {@code node} (resolved from {@code target}) as the options say; returns the exit code. */
    int write(Verb verb, UnixFsReader reader, UnixFsNode node, IpfsPath target) throws IOException {
        PrintWriter err = verb.err();
        String name = verb.name();
        Progress progress = new Progress(err, verb.quiet(), node.kind() == UnixFsNode.Kind.FILE ? node.fileSize() : 0);
        Extractor extractor = new Extractor(reader, partial, new Extractor.Listener() {
            @Override
            public void bytes(long n) {
                progress.add(n);
            }

            @Override
            public void missing(String p, dev.cartool.cid.Cid cid) {
                err.println(name + ": missing: " + p + " (block " + cid + ")");
            }
        }).limits(limitOptions.limits());
        if (asTar(node)) {
            return writeTar(verb, reader, node, target, progress);
        }
        if ("-".equals(output)) {
            if (node.kind() != UnixFsNode.Kind.FILE) {
                throw new UsageException("-o -: " + target + " is a " + node.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + "; only a file can go to stdout");
            }
            OutputStream out = verb.binaryOut();
            extractor.writeContent(node, out);
            out.flush();
            progress.finish();
            return CarCommand.OK;
        }
        Path out = Path.of(output != null ? output : defaultName(target));
        Extractor.Result r = extractor.extract(node, out, force);
        progress.finish();
        if (r.kind() == UnixFsNode.Kind.FILE) {
            describeSif(name, out, err, verb.quiet());
        }
        if (!verb.quiet()) {
            err.println("extracted " + r.files() + " file(s), " + r.bytes() + " bytes"
                    + (r.kind() == UnixFsNode.Kind.DIRECTORY ? ", " + r.directories() + " director"
                            + (r.directories() == 1 ? "y" : "ies") + (r.symlinks() > 0 ? ", " + r.symlinks() + " symlink(s)" : "") : "")
                    + " to " + out);
        }
        err.flush();
        if (!r.missing().isEmpty()) {
            verb.error(r.missing().size() + " entr" + (r.missing().size() == 1 ? "y" : "ies")
                    + " missing from the CAR were not extracted");
            return CarCommand.DATA_ERROR;
        }
        return CarCommand.OK;
    }

    /** Whether the output is a tar stream: --format, else OUT's name, else a directory going to stdout. */
    private boolean asTar(UnixFsNode node) {
        if (format != null) {
            switch (format) {
                case "tar":
                    return true;
                case "files":
                    return false;
                default:
                    throw new UsageException("--format " + format + ": must be files or tar");
            }
        }
        if (output == null) {
            return false;
        }
        if ("-".equals(output)) {
            return node.kind() != UnixFsNode.Kind.FILE;
        }
        return Outputs.tarStem(output) != null;
    }

    /** The tree (or file, or symlink) as one tar stream, to OUT or stdout, compressed as asked. */
    private int writeTar(Verb verb, UnixFsReader reader, UnixFsNode node, IpfsPath target, Progress progress)
            throws IOException {
        if (partial) {
            throw new UsageException("--partial extracts to files only: a tar cannot skip what is missing and say so");
        }
        String out = output != null ? output : defaultName(target) + ".tar";
        String top = topName(target, out);
        dev.cartool.unixfs.extract.TarWriter tar = new dev.cartool.unixfs.extract.TarWriter(reader,
                limitOptions.limits().maxEntries()).onBytes(progress::add);
        Outputs.write(verb, out, force, Outputs.compressionOf(out, compress), o -> tar.write(node, top, o));
        progress.finish();
        if (!verb.quiet() && !"-".equals(out)) {
            verb.err().println("wrote a tar of " + tar.files() + " file(s), " + tar.bytes() + " bytes, "
                    + tar.directories() + " director" + (tar.directories() == 1 ? "y" : "ies")
                    + (tar.symlinks() > 0 ? ", " + tar.symlinks() + " symlink(s)" : "") + " to " + out);
            verb.err().flush();
        }
        return CarCommand.OK;
    }

    /** The tar's top entry: the path's last name, else OUT's name less .tar, else the CID. */
    static String topName(IpfsPath target, String out) {
        if (!target.segments().isEmpty() || "-".equals(out)) {
            return defaultName(target);
        }
        String file = Path.of(out).getFileName().toString();
        String name = Outputs.tarStem(file) != null ? Outputs.tarStem(file) : file;
        return name.isEmpty() || name.equals(".") || name.equals("..") ? defaultName(target) : name;
    }

    /** As {@code ipfs get}: the last path segment, or the root CID as written. */
    static String defaultName(IpfsPath target) {
        return target.segments().isEmpty() ? target.cidText() : target.segments().get(target.segments().size() - 1);
    }

    /** A SIF gets a one-line summary; an inconsistent header is a warning, not a failure. */
    private void describeSif(String name, Path out, PrintWriter err, boolean quiet) {
        if (quiet || !Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(64);
            ch.read(head, 0);
            if (!SifInfo.isSif(head.array())) {
                return;
            }
            SifInfo sif = SifInfo.read(ch);
            err.println(out.getFileName() + ": " + sif.summary());
            for (String p : sif.problems()) {
                err.println(name + ": warning: " + out.getFileName() + ": SIF header inconsistent: " + p);
            }
        } catch (IOException e) {
            err.println(name + ": warning: " + out.getFileName() + ": SIF header unreadable: " + e.getMessage());
        }
    }
}
