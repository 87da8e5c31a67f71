package dev.cartool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import dev.cartool.cid.Cid;
import dev.cartool.cid.IpfsPath;
import dev.cartool.cid.Multihash;
import dev.cartool.io.Text;
import dev.cartool.unixfs.DirEntry;
import dev.cartool.unixfs.UnixFsException;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code car ls}: the UnixFS paths under a root, like {@code tar -t}. */
@Command(name = "ls",
        description = {
            "List the UnixFS paths under a root, one per line, directories with a trailing '/'.",
            "-l adds type, mode, size and CID: 'd 0755          0 bafy... dir/'.",
            "go-car's habits: --cids lists the blocks' CIDs instead (its 'car ls' default, as 'car blocks'); "
                + "--unixfs, its flag for a file listing, is accepted (that is what ls lists here)."
        })
final class LsCommand extends Verb {
    @Mixin
    RootArgs args;

    @Option(names = "-l", description = "Long listing: type, mode, size, CID, path.")
    boolean longList;

    @Option(names = "--cids", description = "List the CIDs of the blocks in file order (as 'car blocks'), not paths.")
    boolean cids;

    @Option(names = "--unixfs", description = "List UnixFS paths (the default; go-car's flag for it).")
    boolean unixfs;

    @picocli.CommandLine.Mixin
    LimitOptions limitOptions;

    @Option(names = "--json", description = "One JSON object per entry, a line each: path, type, mode, size, cid, target.")
    boolean json;


    private dev.cartool.unixfs.extract.TreeLimits.Counter counter;
    private boolean escape;

    private UnixFsReader reader;
    private int missing;

    @Override
    public Integer call() throws IOException {
        if (cids) {
            if (unixfs || args.path != null || args.root != null) {
                throw new UsageException("--cids lists every block; it takes no PATH, --root or --unixfs");
            }
            return BlocksCommand.list(this, args.file, longList, json);
        }
        try (Inputs.Opened car = args.open(this)) {
            IpfsPath target = args.target(car);
            reader = new UnixFsReader(car.source());
            counter = limitOptions.limits().counter();
            escape = Terminal.isTerminal(1);
            UnixFsNode node = reader.resolve(target.cid(), target.segments());
            String name = ExtractCommand.defaultName(target);
            walk(node, node.kind() == UnixFsNode.Kind.DIRECTORY ? "" : name, new HashSet<>(), 0);
        } finally {
            out().flush();
        }
        if (missing > 0) {
            error(missing + " entr" + (missing == 1 ? "y is" : "ies are") + " missing from the CAR");
            return CarCommand.DATA_ERROR;
        }
        return CarCommand.OK;
    }

    private void walk(UnixFsNode node, String path, Set<Multihash> ancestors, int depth) throws IOException {
        counter.entry(node.cid(), path);
        if (node.kind() != UnixFsNode.Kind.DIRECTORY) {
            print(node, path);
            return;
        }
        if (!path.isEmpty()) {
            print(node, path + "/");
        }
        if (!ancestors.add(node.cid().multihash()) || depth > 1024) {
            throw new UnixFsException(node.cid(), "directory " + node.cid() + " contains itself at '" + path + "'");
        }
        java.util.List<DirEntry> entries = new java.util.ArrayList<>();
        reader.forEachEntry(node, entries::add, (slot, shard) -> reportMissing(
                (path.isEmpty() ? "" : path + "/") + "[HAMT shard " + slot + ": entries unknown]", shard));
        for (DirEntry e : entries) {
            String child = path.isEmpty() ? e.name() : path + "/" + e.name();
            UnixFsNode n;
            try {
                n = reader.load(e.cid());
            } catch (dev.cartool.block.MissingBlockException m) {
                reportMissing(child, e.cid());
                continue;
            }
            walk(n, child, ancestors, depth + 1);
        }
        ancestors.remove(node.cid().multihash());
    }

    private void reportMissing(String path, Cid cid) {
        missing++;
        err().println(name() + ": missing: " + path + " (block " + cid + ")");
        err().flush();
    }

    private void print(UnixFsNode n, String path) {
        PrintWriter out = out();
        if (quiet()) {
            return;
        }
        if (json) {
            String type = n.kind() == UnixFsNode.Kind.DIRECTORY ? "directory" : n.kind() == UnixFsNode.Kind.SYMLINK ? "symlink" : "file";
            out.println(Json.obj().put("path", path.endsWith("/") ? path.substring(0, path.length() - 1) : path)
                    .put("type", type).put("mode", n.mode() == null ? null : Text.octal(n.mode() & 07777, 4))
                    .put("size", n.kind() == UnixFsNode.Kind.FILE ? n.fileSize() : 0).put("cid", n.cid().toString())
                    .put("target", n.kind() == UnixFsNode.Kind.SYMLINK ? new String(n.data().data(), StandardCharsets.UTF_8) : null));
            return;
        }
        if (escape) {
            path = Terminal.escape(path);
        }
        if (!longList) {
            out.println(path);
            return;
        }
        char type = n.kind() == UnixFsNode.Kind.DIRECTORY ? 'd' : n.kind() == UnixFsNode.Kind.SYMLINK ? 'l' : '-';
        String mode = n.mode() == null ? "----" : Text.octal(n.mode() & 07777, 4);
        long size = n.kind() == UnixFsNode.Kind.FILE ? n.fileSize() : 0;
        String link = n.kind() == UnixFsNode.Kind.SYMLINK
                ? " -> " + new String(n.data().data(), StandardCharsets.UTF_8) : "";
        if (escape) {
            link = Terminal.escape(link);
        }
        Cid cid = n.cid();
        out.println(type + " " + mode + " " + Text.padLeft(Long.toString(size), 12) + " " + cid + " " + path + link);
    }
}
