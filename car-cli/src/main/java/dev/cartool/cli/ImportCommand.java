package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;

import dev.cartool.apptainer.ApptainerCache;
import dev.cartool.cid.Cid;
import dev.cartool.store.CarStore;
import dev.cartool.unixfs.UnixFsReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car import}: CARs into the local store, verified first, all or nothing. */
@Command(name = "import",
        description = {
            "Import CARs into the local store so their roots are found by CID, like 'ipfs dag "
                + "import'.",
            "Each CAR is verified completely (hashes, roots, DAG complete) before anything "
                + "becomes visible; importing a CAR whose roots are already stored changes nothing. "
                + "--apptainer-cache also places each root's image in Apptainer's ipfs cache."
        })
final class ImportCommand extends Verb {
    @Parameters(paramLabel = "CAR", arity = "1..*", description = "CAR files ('-' for stdin).")
    List<String> files;

    @Mixin
    StoreOption storeOption;

    @Option(names = "--stats", description = "Also print block and byte counts.")
    boolean stats;

    @Option(names = "--apptainer-cache",
            description = "Place each root's file in $APPTAINER_CACHEDIR/cache/ipfs (else ~/.apptainer/cache/ipfs).")
    boolean apptainerCache;

    @Option(names = "--path", paramLabel = "NAME",
            description = "With --apptainer-cache: the file of a wrapped root (a directory of several entries).")
    String path;

    @Option(names = "--json", description = "One JSON object per CAR, a line each.")
    boolean json;


    /**
     * Each CAR is imported on its own, all or nothing: one that fails is named and the rest are
     * still imported; the exit code says whether any failed.
     */
    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        int status = CarCommand.OK;
        try (CarStore store = storeOption.open(env())) {
            for (String file : files) {
                try {
                    importOne(store, file, out);
                } catch (IOException | RuntimeException e) {
                    CarCommand.Failure f = CarCommand.Failure.of(e, file);
                    status = CarCommand.worst(status, f.code());
                    if (json) {
                        out.println(Json.obj().put("file", file).put("status", "error").put("kind", f.kind())
                                .put("message", f.message()));
                    } else {
                        error(f.message().startsWith(file + ":") ? f.message() : file + ": " + f.message());
                    }
                }
                out.flush();
            }
        }
        return status;
    }

    private void importOne(CarStore store, String file, PrintWriter out) throws IOException {
        CarStore.ImportResult r;
        Progress progress = new Progress(err(), quiet() || json, Inputs.sizeOf(file));
        if (Inputs.isPlainFile(file)) {
            r = store.importCar(java.nio.file.Path.of(file), progress::add); // copied, then verified by position
        } else {
            try (InputStream in = progress.counting(open(file))) {
                r = store.importCar(in);
            }
        }
        progress.finish();
        List<Object> cached = Json.list();
        List<Object> uris = Json.list();
        if (apptainerCache) {
            ApptainerCache cache = ApptainerCache.open(env());
            UnixFsReader reader = new UnixFsReader(store.source(r.roots().get(0)));
            for (Cid root : r.roots()) {
                List<java.nio.file.Path> placed;
                try {
                    placed = cache.place(reader, root, path);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage() + (e.getMessage().endsWith("must be named")
                            ? " (--path NAME)" : e.getMessage().contains("entry name applies") ? " (drop --path)" : ""));
                }
                for (java.nio.file.Path p : placed) {
                    cached.add(p.toString());
                    if (!quiet() && !json) {
                        err().println(name() + ": cached " + p);
                    }
                }
                String uri = ApptainerCache.ipfsUri(reader, root, path);
                uris.add(uri);
                if (!quiet() && !json) {
                    err().println(name() + ": for Apptainer: " + uri);
                }
            }
        }
        if (json) {
            List<Object> roots = Json.list();
            r.roots().forEach(c -> roots.add(c.toString()));
            out.println(Json.obj().put("file", file).put("status", "ok").put("roots", roots).put("blocks", r.blocks())
                    .put("bytes", r.bytes()).put("alreadyPresent", r.alreadyPresent()).put("apptainerCache", cached).put("apptainerUris", uris));
            return;
        }
        if (quiet()) {
            return;
        }
        for (Cid root : r.roots()) {
            out.println("Pinned root " + root + " success");
        }
        if (stats) {
            out.println("Imported " + r.blocks() + " blocks (" + r.bytes() + " bytes)"
                    + (r.alreadyPresent() ? ", already in the store" : ""));
        }
    }
}
