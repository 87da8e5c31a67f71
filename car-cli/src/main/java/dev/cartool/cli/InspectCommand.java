package dev.cartool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.cartool.apptainer.ApptainerCompat;
import dev.cartool.block.Block;
import dev.cartool.car.CarFileSource;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarStats;
import dev.cartool.car.SectionCursor;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.cid.IpfsPath;
import dev.cartool.cid.Multibase;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.sif.SifInfo;
import dev.cartool.unixfs.UnixFsFile;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car inspect}: a CID's parts, or go-car's report of a CAR file. */
@Command(name = "inspect",
        description = {
            "Show the parts of a CID (like the CID Inspector), or report on a CAR file (like "
                + "go-car).",
            "TARGET is a CAR file ('-' for stdin), or a CID, CID/path, ipfs://CID/path or "
                + "/ipfs/CID/path."
        })
final class InspectCommand extends Verb {
    @Parameters(index = "0", paramLabel = "TARGET", description = "A CAR file or a CID.")
    String target;

    @Option(names = "--full", description = "For a CAR: also check every block's hash.")
    boolean full;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;


    @Override
    public Integer call() throws IOException {
        if ("-".equals(target) || Files.exists(Path.of(target))) {
            return inspectCar();
        }
        IpfsPath path;
        try {
            path = IpfsPath.parse(target);
        } catch (CidFormatException e) {
            if (target.endsWith(".car") || target.contains(java.io.File.separator)) {
                throw new NoSuchFileException(target);
            }
            throw new UsageException(target + ": neither a file nor a CID: " + e.getMessage());
        }
        return inspectCid(path);
    }

    private int inspectCid(IpfsPath path) throws CidFormatException {
        Cid cid = path.cid();
        Multibase base = Cid.multibaseOf(path.cidText());
        Multihash mh = cid.multihash();
        String digestHex = hex(mh.digest());
        Optional<String> apptainer = ApptainerCompat.rejection(cid, base);
        String base58 = cid.version() == 0 ? cid.toString() : cid.toString(Multibase.BASE58BTC);
        PrintWriter out = out();
        if (quiet()) {
            return CarCommand.OK;
        }
        if (json) {
            Json.Obj o = Json.obj()
                    .put("cid", path.cidText())
                    .put("humanReadable", humanReadable(cid, base))
                    .put("multibase", Json.obj().put("name", base.displayName())
                            .put("prefix", cid.version() == 0 ? null : String.valueOf(base.prefix())))
                    .put("version", cid.version())
                    .put("codec", Json.obj().put("name", cid.codecName()).put("code", cid.codec()))
                    .put("multihash", Json.obj().put("name", mh.name()).put("code", mh.code())
                            .put("bits", mh.digestLength() * 8L).put("digest", digestHex))
                    .put("cidv1Base32", cid.toV1().toString())
                    .put("base58btc", base58)
                    .put("apptainer", Json.obj().put("accepted", apptainer.isEmpty())
                            .put("reason", apptainer.orElse(null)));
            if (!path.segments().isEmpty()) {
                o.put("path", path.pathString());
            }
            out.println(o);
        } else {
            out.println(humanReadable(cid, base));
            out.println("Multibase: " + base.displayName()
                    + (cid.version() == 0 ? " (no prefix: CIDv0)" : " (prefix '" + base.prefix() + "')"));
            out.println("Version: cidv" + cid.version());
            out.println("Codec: " + cid.codecName() + " (" + Multicodec.hex(cid.codec()) + ")");
            out.println("Multihash: " + mh.name() + " (" + Multicodec.hex(mh.code()) + "), "
                    + mh.digestLength() * 8L + " bits");
            out.println("Digest: " + digestHex);
            out.println("CIDv1 base32: " + cid.toV1());
            out.println("Base58btc: " + base58);
            if (!path.segments().isEmpty()) {
                out.println("Path: " + path.pathString());
            }
            // Not Optional.map: the first lambda of a run costs ~4 ms of method-handle set-up.
            out.println("Apptainer ipfs:// root: " + (apptainer.isPresent() ? "no: " + apptainer.get() : "yes"));
        }
        out.flush();
        return CarCommand.OK;
    }

    /** The CID Inspector's one-line form, e.g. {@code base32 - cidv1 - raw - (sha2-256 : 256 : E3B0...)}. */
    static String humanReadable(Cid cid, Multibase base) {
        Multihash mh = cid.multihash();
        return base.displayName() + " - cidv" + cid.version() + " - " + cid.codecName() + " - ("
                + mh.name() + " : " + mh.digestLength() * 8L + " : "
                + hex(mh.digest()).toUpperCase(Locale.ROOT) + ")";
    }

    private int inspectCar() throws IOException {
        // go-car's inspect reads a zero-length section as the end of the data; so do we.
        CarReaderOptions options = CarReaderOptions.DEFAULTS.trusting().withZeroLengthSectionAsEof(true);
        Progress progress = new Progress(err(), quiet() || json || !full, Inputs.sizeOf(target));
        // A plain file's sections are read by position: without --full only their heads are read.
        try (SectionCursor blocks = Inputs.sections(this, target, options, full, progress::add)) {
            CarStats stats = new CarStats(blocks.header().roots());
            SectionCursor.Section s;
            while ((s = blocks.next()) != null) {
                stats.add(s.ref().cid(), s.ref().dataLength());
            }
            progress.finish();
            if (quiet()) {
                return CarCommand.OK;
            }
            dev.cartool.car.CarV2Header v2 = blocks.v2();
            String indexType = v2 == null ? null : v2.indexOffset() == 0 ? "(none)" : Multicodec.name(blocks.indexCodec());
            if (json) {
                Json.Obj o = Json.obj().put("file", target).put("version", v2 != null ? 2 : blocks.header().version());
                if (v2 != null) {
                    o.put("characteristics", hex(v2.characteristics())).put("dataOffset", v2.dataOffset())
                            .put("dataLength", v2.dataSize()).put("indexOffset", v2.indexOffset()).put("indexType", indexType);
                }
                java.util.List<Object> roots = Json.list();
                stats.roots().forEach(c -> roots.add(c.toString()));
                o.put("roots", roots).put("rootsPresent", stats.rootsPresent()).put("blocks", stats.blockCount())
                        .put("blockLength", Json.obj().put("min", stats.minBlockLength()).put("average", stats.averageBlockLength())
                                .put("max", stats.maxBlockLength()))
                        .put("cidLength", Json.obj().put("min", stats.minCidLength()).put("average", stats.averageCidLength())
                                .put("max", stats.maxCidLength()))
                        .put("codecs", counts(stats.codecCounts())).put("multihashes", counts(stats.hashCounts()))
                        .put("verified", full);
                if (Inputs.canReadTwice(target)) {
                    o.put("rootEntity", rootEntity());
                }
                out().println(o);
                out().flush();
                return CarCommand.OK;
            }
            print(v2 != null ? 2 : blocks.header().version(), stats, v2 == null ? null
                    : "Characteristics: " + hex(v2.characteristics()) + "\nData offset: " + v2.dataOffset()
                    + "\nData (payload) length: " + v2.dataSize() + "\nIndex offset: " + v2.indexOffset()
                    + "\nIndex type: " + indexType);
        }
        if (Inputs.canReadTwice(target)) {
            describeRoot();
        }
        return CarCommand.OK;
    }

    private static Json.Obj counts(Map<Long, Long> counts) {
        Json.Obj o = Json.obj();
        counts.forEach((code, n) -> o.put(Multicodec.name(code), n));
        return o;
    }

    /** The single UnixFS root as JSON: type and size or entries; null when there is none to describe. */
    private Json.Obj rootEntity() throws IOException {
        try (Inputs.Opened src = Inputs.open(this, target, CarReaderOptions.DEFAULTS)) {
            List<Cid> roots = src.header().roots();
            if (roots.size() != 1 || !(roots.get(0).codec() == Multicodec.DAG_PB || roots.get(0).codec() == Multicodec.RAW)) {
                return null;
            }
            UnixFsReader reader = new UnixFsReader(src.source());
            UnixFsNode root;
            try {
                root = reader.load(roots.get(0));
            } catch (dev.cartool.block.MissingBlockException e) {
                return null;
            }
            switch (root.kind()) {
                case DIRECTORY: {
                    long[] n = new long[1];
                    reader.forEachEntry(root, e -> n[0]++, (slot, shard) -> { });
                    return Json.obj().put("type", "directory").put("hamt", root.isHamt()).put("entries", n[0]);
                }
                case SYMLINK:
                    return Json.obj().put("type", "symlink").put("target", new String(root.data().data(),
                            java.nio.charset.StandardCharsets.UTF_8));
                default: {
                    Json.Obj o = Json.obj().put("type", "file").put("size", root.fileSize());
                    try (UnixFsFile f = reader.open(root)) {
                        if (root.fileSize() >= SifInfo.HEADER_LENGTH
                                && SifInfo.isSif(f.position(0).readNBytes(SifInfo.HEADER_LENGTH))) {
                            SifInfo sif = SifInfo.read((pos, len) -> f.position(pos).readNBytes(len), root.fileSize());
                            o.put("sif", Json.obj().put("summary", sif.summary()).put("problems", new java.util.ArrayList<Object>(sif.problems())));
                        }
                    } catch (IOException | IllegalArgumentException e) {
                        o.put("sif", Json.obj().put("error", e.getMessage()));
                    }
                    return o;
                }
            }
        }
    }

    /** After go-car's report: what the single UnixFS root is (a file, a directory, a SIF image). */
    private void describeRoot() throws IOException {
        try (Inputs.Opened src = Inputs.open(this, target, CarReaderOptions.DEFAULTS)) {
            List<Cid> roots = src.header().roots();
            if (roots.size() != 1 || !(roots.get(0).codec() == Multicodec.DAG_PB || roots.get(0).codec() == Multicodec.RAW)) {
                return;
            }
            UnixFsReader reader = new UnixFsReader(src.source());
            PrintWriter out = out();
            UnixFsNode root;
            try {
                root = reader.load(roots.get(0));
            } catch (dev.cartool.block.MissingBlockException e) {
                return;
            } catch (dev.cartool.block.MalformedBlockException e) {
                // Valid DAG-PB that is not UnixFS: a report of the archive, nothing wrong with it.
                out.println("Root entity: " + roots.get(0).codecName() + ", not UnixFS");
                out.flush();
                return;
            }
            switch (root.kind()) {
                case DIRECTORY: {
                    long[] n = new long[1];
                    reader.forEachEntry(root, e -> n[0]++, (slot, shard) -> { });
                    out.println("Root entity: directory" + (root.isHamt() ? " (HAMT-sharded)" : "") + ", " + n[0]
                            + " entr" + (n[0] == 1 ? "y" : "ies"));
                    break;
                }
                case SYMLINK:
                    out.println("Root entity: symlink -> " + new String(root.data().data(), java.nio.charset.StandardCharsets.UTF_8));
                    break;
                default:
                    out.println("Root entity: file, " + root.fileSize() + " bytes");
                    describeSif(reader, root, out);
                    break;
            }
            out.flush();
        }
    }

    private static void describeSif(UnixFsReader reader, UnixFsNode file, PrintWriter out) {
        try (UnixFsFile f = reader.open(file)) {
            if (file.fileSize() < SifInfo.HEADER_LENGTH
                    || !SifInfo.isSif(f.position(0).readNBytes(SifInfo.HEADER_LENGTH))) {
                return;
            }
            SifInfo sif = SifInfo.read((pos, len) -> f.position(pos).readNBytes(len), file.fileSize());
            out.println("Root file is a " + sif.summary());
            sif.listing().forEach(out::println);
            sif.problems().forEach(p -> out.println("warning: SIF header inconsistent: " + p));
        } catch (IOException | IllegalArgumentException e) {
            out.println("warning: SIF header unreadable: " + e.getMessage());
        }
    }

    /** go-car's report, line for line; a CARv2 has its header's lines after the version. */
    private void print(long version, CarStats s, String v2Lines) {
        PrintWriter out = out();
        out.println("Version: " + version);
        if (v2Lines != null) {
            out.println(v2Lines);
        }
        List<Cid> roots = s.roots();
        StringBuilder r = new StringBuilder("Roots:");
        if (roots.isEmpty()) {
            r.append(" (none)");
        } else if (roots.size() == 1) {
            r.append(' ').append(roots.get(0));
        } else {
            for (Cid c : roots) {
                r.append("\n\t").append(c);
            }
        }
        out.println(r);
        out.println("Root blocks present in data: " + (s.rootsPresent() ? "Yes" : "No"));
        out.println("Block count: " + s.blockCount());
        out.println("Min / average / max block length (bytes): " + s.minBlockLength() + " / "
                + s.averageBlockLength() + " / " + s.maxBlockLength());
        out.println("Min / average / max CID length (bytes): " + s.minCidLength() + " / "
                + s.averageCidLength() + " / " + s.maxCidLength());
        out.println("Block count per codec:");
        printCounts(out, s.codecCounts());
        out.println("CID count per multihash:");
        printCounts(out, s.hashCounts());
        out.flush();
    }

    private static void printCounts(PrintWriter out, Map<Long, Long> counts) {
        counts.forEach((code, n) -> out.println("\t" + Multicodec.name(code) + ": " + n));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
