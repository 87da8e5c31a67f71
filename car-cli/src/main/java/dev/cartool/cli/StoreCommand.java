package dev.cartool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

import dev.cartool.car.VerifyReport;
import dev.cartool.cid.Cid;
import dev.cartool.cid.CidFormatException;
import dev.cartool.store.CarStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code car store ls|rm|verify|gc}. */
@Command(name = "store", description = "Look after the local store.",
        subcommands = {StoreCommand.Ls.class, StoreCommand.Rm.class, StoreCommand.Verify.class, StoreCommand.Gc.class})
final class StoreCommand extends Verb {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (ls, rm, verify, gc)");
    }

    @Command(name = "ls", description = "The stored roots: CID, bytes of their CAR, import time.")
    static final class Ls extends Verb {
        @Mixin
        StoreOption storeOption;

        @picocli.CommandLine.Option(names = "--json", description = "One JSON object per root, a line each.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            int status = CarCommand.OK;
            try (CarStore s = storeOption.openExisting(env())) {
                for (CarStore.RootEntry e : s.list()) {
                    out().println(json ? Json.obj().put("root", e.root().toString()).put("car", e.car()).put("bytes", e.bytes())
                            .put("blocks", e.blocks()).put("imported", e.imported().toString()).toString()
                            : e.root() + "\t" + e.bytes() + "\t" + e.imported());
                }
                out().flush();
                for (String d : s.damagedRoots()) {
                    error(d);
                    status = CarCommand.DATA_ERROR;
                }
            }
            out().flush();
            return status;
        }
    }

    @Command(name = "rm", description = "Remove a root (its CAR goes when no other root needs it).")
    static final class Rm extends Verb {
        @Mixin
        StoreOption storeOption;

        @Parameters(paramLabel = "CID", arity = "1..*")
        java.util.List<String> cids;

        @Override
        public Integer call() throws IOException {
            int status = CarCommand.OK;
            try (CarStore s = storeOption.openExisting(env())) {
                for (String c : cids) {
                    Cid cid;
                    try {
                        cid = Cid.parse(c);
                    } catch (CidFormatException e) {
                        error(c + ": " + e.getMessage()); // named, and the other CIDs still removed
                        status = CarCommand.worst(status, CarCommand.USAGE);
                        continue;
                    }
                    if (s.remove(cid)) {
                        if (!quiet()) {
                            out().println("removed " + cid);
                        }
                    } else {
                        error(cid + ": not a root in the store");
                        status = CarCommand.worst(status, CarCommand.DATA_ERROR);
                    }
                }
            }
            out().flush();
            return status;
        }
    }

    @Command(name = "verify", description = "Re-hash every stored CAR; report what is damaged (exit 1).")
    static final class Verify extends Verb {
        @Mixin
        StoreOption storeOption;

        @Override
        public Integer call() throws IOException {
            int status = CarCommand.OK;
            PrintWriter out = out();
            try (CarStore s = storeOption.openExisting(env())) {
                for (Map.Entry<String, VerifyReport> e : s.verify().entrySet()) {
                    VerifyReport r = e.getValue();
                    if (r.ok()) {
                        if (!quiet()) {
                            out.println(e.getKey() + ": OK: " + r.blocks() + " blocks, " + r.bytes() + " bytes");
                        }
                    } else {
                        status = CarCommand.DATA_ERROR;
                        error(e.getKey() + ": DAMAGED: " + r.problems().get(0).message());
                    }
                }
            }
            out.flush();
            return status;
        }
    }

    @Command(name = "gc", description = "Delete CARs no root refers to and imports a crash left behind.")
    static final class Gc extends Verb {
        @Mixin
        StoreOption storeOption;

        @Override
        public Integer call() throws IOException {
            try (CarStore s = storeOption.openExisting(env())) {
                int n = s.gc();
                if (!quiet()) {
                    out().println("removed " + n + " file(s)");
                }
            }
            out().flush();
            return CarCommand.OK;
        }
    }
}
