package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;

import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.CarVerifier;
import dev.cartool.car.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code car verify}: prove each CAR is complete and every block matches its CID. */
@Command(name = "verify",
        description = {
            "Check that each CAR is complete and that every block matches its CID.",
            "Checks a header with at least one root, every block's hash, every root present, and every "
                + "block reachable from the roots present (dag-pb links and CIDs inside dag-cbor). "
                + "Exits 1 if any file fails."
        })
final class VerifyCommand extends Verb {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "CAR files ('-' for stdin).")
    List<String> files;

    @Option(names = "--json", description = "Print one JSON report per file, a line each.")
    boolean json;

    @Option(names = "--partial", description = "Check hashes, header, structure and a CARv2's index, but not that the DAG "
            + "is complete: for CARs that hold part of a DAG by design (a gateway's path CAR).")
    boolean partial;

    @Option(names = "--threads", paramLabel = "N",
            description = "Hashing threads (default: one per processor).")
    Integer threads;

    @Option(names = "--max-section", paramLabel = "BYTES",
            description = "Largest section accepted, e.g. 32M (default: 8M, as go-car).")
    String maxSection;

    @Override
    public Integer call() throws IOException {
        if (threads != null && threads < 1) {
            throw new UsageException("--threads " + threads + ": must be at least 1");
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        CarVerifier verifier = new CarVerifier(RootArgs.withMaxSection(CarReaderOptions.DEFAULTS, maxSection), n);
        if (partial) {
            verifier = verifier.partial();
        }
        int status = CarCommand.OK;
        for (String file : files) {
            VerifyReport report;
            Progress progress = new Progress(err(), quiet() || json, Inputs.sizeOf(file));
            try {
                if (Inputs.isPlainFile(file)) {
                    // By positional reads: the workers read what they hash (a file's blocks are read
                    // on every core, not all by one thread).
                    report = verifier.verify(java.nio.file.Path.of(file), progress::add);
                } else {
                    try (InputStream in = progress.counting(open(file))) {
                        report = verifier.verify(in);
                    }
                }
                progress.finish();
            } catch (IOException | RuntimeException e) {
                // A file that cannot be read is reported, and the batch goes on to the next.
                CarCommand.Failure f = CarCommand.Failure.of(e, null);
                status = CarCommand.worst(status, f.code());
                if (json) {
                    List<Object> problems = Json.list();
                    problems.add(Json.obj().put("kind", f.kind()).put("offset", null).put("cid", null)
                            .put("message", f.message()));
                    out().println(Json.obj().put("file", file).put("status", "error").put("blocks", 0).put("bytes", 0)
                            .put("roots", Json.list()).put("uncheckedCodecBlocks", 0).put("problems", problems));
                    out().flush();
                } else {
                    error(f.message().startsWith(file + ":") ? f.message() : file + ": " + f.message());
                }
                continue;
            }
            if (!report.ok()) {
                status = CarCommand.worst(status, CarCommand.DATA_ERROR);
            }
            print(file, report);
        }
        return status;
    }

    private void print(String file, VerifyReport r) {
        PrintWriter out = out();
        if (json) {
            List<Object> problems = Json.list();
            for (VerifyReport.Problem p : r.problems()) {
                problems.add(Json.obj().put("kind", p.kind().label())
                        .put("offset", p.offset() >= 0 ? p.offset() : null)
                        .put("cid", p.cid() != null ? p.cid().toString() : null)
                        .put("message", p.message()));
            }
            List<Object> roots = Json.list();
            r.roots().forEach(c -> roots.add(c.toString()));
            out.println(Json.obj().put("file", file).put("status", r.ok() ? "ok" : "failed")
                    .put("blocks", r.blocks()).put("bytes", r.bytes()).put("roots", roots)
                    .put("uncheckedCodecBlocks", r.unknownCodecBlocks())
                    .put("problems", problems));
            out.flush();
            return;
        }
        if (r.ok()) {
            if (quiet()) {
                return;
            }
            out.println(file + ": OK: " + plural(r.blocks(), "block") + ", " + r.bytes() + " bytes, "
                    + (r.roots().size() == 1 ? "root " + r.roots().get(0) : r.roots().size() + " roots"));
            if (r.unknownCodecBlocks() > 0) {
                out.println(file + ": note: links below " + plural(r.unknownCodecBlocks(), "block")
                        + " of codecs this tool cannot read were not followed");
            }
            out.flush();
        } else {
            VerifyReport.Problem first = r.problems().get(0);
            error(file + ": " + first.message()
                    + (r.problems().size() > 1 ? " (and " + (r.problems().size() - 1) + " more problem(s))" : ""));
        }
    }

}
