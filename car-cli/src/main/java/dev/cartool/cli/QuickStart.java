package dev.cartool.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs {@code --version} and the verbs a user or a CI job calls most ({@code roots},
 * {@code inspect}, {@code verify}, {@code extract}, {@code cid}, {@code pack}, {@code ls},
 * {@code blocks}, {@code import}, {@code get}, {@code store ls}, {@code store verify}) without
 * picocli when their arguments are
 * plain: operands, flags each given once, and the few valued options written as two arguments
 * ({@code -o OUT}, {@code --root CID}, {@code --store DIR}, {@code --path NAME}, {@code --threads N}
 * with N in plain digits). picocli's model
 * of a verb costs 35-50 ms before the verb starts (by hyperfine, the quick path took 42 ms off
 * roots, 37 off verify and 47 off extract of 64 MiB): it reads the verb's annotations through
 * proxy classes the JVM generates at every start (class-data sharing cannot keep them on Java
 * 17) and registers its type converters; {@code car roots} is a few milliseconds of work after
 * that. Measured in docs/benchmarks.md.
 *
 * <p>Anything else (help, an unknown, repeated or {@code --name=value} option, {@code --}, an
 * {@code @file}, bundled short options, a value that looks like an option, the wrong number of
 * operands) is left to picocli, so every message about arguments still comes from one parser.
 * The verb objects, their fields and their {@code call()} are the ones picocli would run, and
 * no field here has a default of its own (the verbs' defaults are initial values in code, not
 * annotation attributes);
 * QuickStartTest holds both paths to the same output, error and exit code.
 */
final class QuickStart {
    /** What {@link #run} returns when picocli must parse the arguments. */
    static final int NOT_HANDLED = -1;

    private QuickStart() {
    }

    /**
     * Runs the verb {@code args} name when they are plain and returns its exit code, or
     * {@link #NOT_HANDLED} without side effects.
     */
    static int run(String[] args, CarCommand root, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // picocli builds the model of every verb to print two lines: 250 ms against 60.
            try {
                for (String line : new CarCommand.Version().getVersion()) {
                    out.println(line);
                }
            } catch (java.io.IOException e) {
                return NOT_HANDLED; // picocli reports it
            }
            out.flush();
            return CarCommand.OK;
        }
        if (args.length < 2) {
            return NOT_HANDLED;
        }
        String verbName = CarCommand.ALIASES.getOrDefault(args[0], args[0]);
        int first = 1;
        if (verbName.equals("store")) {
            verbName = "store " + args[1]; // store ls, store verify: a verb in two words
            first = 2;
        }
        Verb verb = make(verbName);
        if (verb == null) {
            return NOT_HANDLED;
        }
        verb.common = new CommonOptions();
        List<String> operands = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = first; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@") || (a.startsWith("-") && !a.equals("-"))) {
                String option = canonical(a);
                if (option == null || !seen.add(option)) {
                    return NOT_HANDLED;
                }
                String value = null;
                if (takesValue(option)) {
                    if (i + 1 >= args.length || !plainValue(args[i + 1])) {
                        return NOT_HANDLED;
                    }
                    value = args[++i];
                }
                if (!set(verb, option, value)) {
                    return NOT_HANDLED;
                }
            } else {
                operands.add(a);
            }
        }
        if (!operands(verb, operands)) {
            return NOT_HANDLED;
        }
        String name = "car " + verbName;
        verb.direct = new Verb.Direct(name, out, err, root);
        try {
            verb.applyProcessSettings();
            return verb.call();
        } catch (Exception e) {
            return CarCommand.report(e, err, name, verb.input, verb.common.verbose);
        }
    }

    private static Verb make(String verb) {
        switch (verb) {
            case "roots":
                return new RootsCommand();
            case "inspect":
                return new InspectCommand();
            case "verify":
                return new VerifyCommand();
            case "extract":
                ExtractCommand x = new ExtractCommand();
                x.args = new RootArgs();
                x.output = outputOptions();
                return x;
            case "cid":
                CidCommand c = new CidCommand();
                c.in = new ImportOptionsMixin();
                return c;
            case "pack":
                PackCommand p = new PackCommand();
                p.in = new ImportOptionsMixin();
                p.out = new CarOutOptions();
                return p;
            case "ls":
                LsCommand l = new LsCommand();
                l.args = new RootArgs();
                l.limitOptions = new LimitOptions();
                return l;
            case "blocks":
                return new BlocksCommand();
            case "import":
                ImportCommand m = new ImportCommand();
                m.storeOption = new StoreOption();
                return m;
            case "store ls":
                StoreCommand.Ls sl = new StoreCommand.Ls();
                sl.storeOption = new StoreOption();
                return sl;
            case "store verify":
                StoreCommand.Verify sv = new StoreCommand.Verify();
                sv.storeOption = new StoreOption();
                return sv;
            case "get":
                GetCommand g = new GetCommand();
                g.storeOption = new StoreOption();
                g.output = outputOptions();
                return g;
            default:
                return null;
        }
    }

    /** extract's and get's output options, as picocli makes the mixin and the one inside it. */
    private static OutputOptions outputOptions() {
        OutputOptions o = new OutputOptions();
        o.limitOptions = new LimitOptions();
        return o;
    }

    /** The long name of an option these verbs may take, or null. */
    private static String canonical(String arg) {
        switch (arg) {
            case "-q":
            case "--quiet":
                return "--quiet";
            case "-f":
            case "--force":
                return "--force";
            case "-o":
            case "--output":
                return "--output";
            case "-w":
            case "--wrap":
                return "--wrap";
            case "-H":
            case "--hidden":
                return "--hidden";
            case "--verbose":
            case "--allow-truncated-digests":
            case "--json":
            case "--full":
            case "--partial":
            case "--root":
            case "--threads":
            case "--cids":
            case "--unixfs":
            case "-l":
            case "--store":
            case "--stats":
            case "--apptainer-cache":
            case "--path":
                return arg;
            case "-v":
            case "--verbose-list":
                return "--verbose-list";
            default:
                return null;
        }
    }

    private static boolean takesValue(String option) {
        return option.equals("--output") || option.equals("--root") || option.equals("--threads")
                || option.equals("--store") || option.equals("--path");
    }

    /** A count picocli would read as the same int: 1-9 ASCII digits (anything else is left to it). */
    private static Integer count(String v) {
        if (v.isEmpty() || v.length() > 9) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.valueOf(v);
    }

    /** A value picocli takes as it is: not an option, an option-like word or an @file. */
    private static boolean plainValue(String v) {
        return !v.isEmpty() && !v.startsWith("@") && (!v.startsWith("-") || v.equals("-"));
    }

    /** Sets an option the verb has; false when it has no such option. */
    private static boolean set(Verb verb, String option, String value) {
        switch (option) {
            case "--quiet":
                verb.common.quiet = true;
                return true;
            case "--verbose":
                verb.common.verbose = true;
                return true;
            case "--allow-truncated-digests":
                verb.common.allowTruncatedDigests = true;
                return true;
            default:
                break;
        }
        Integer threads = option.equals("--threads") ? count(value) : null;
        if (verb instanceof RootsCommand r && option.equals("--json")) {
            r.json = true;
        } else if (verb instanceof InspectCommand i && option.equals("--json")) {
            i.json = true;
        } else if (verb instanceof InspectCommand i && option.equals("--full")) {
            i.full = true;
        } else if (verb instanceof VerifyCommand v && option.equals("--json")) {
            v.json = true;
        } else if (verb instanceof VerifyCommand v && option.equals("--partial")) {
            v.partial = true;
        } else if (verb instanceof VerifyCommand v && threads != null) {
            v.threads = threads;
        } else if (output(verb) != null && option.equals("--force")) {
            output(verb).force = true;
        } else if (output(verb) != null && option.equals("--partial")) {
            output(verb).partial = true;
        } else if (output(verb) != null && option.equals("--output")) {
            output(verb).output = value;
        } else if (verb instanceof ExtractCommand x && option.equals("--root")) {
            x.args.root = value;
        } else if (verb instanceof CidCommand c && option.equals("--json")) {
            c.json = true;
        } else if (verb instanceof PackCommand p && option.equals("--json")) {
            p.json = true;
        } else if (imports(verb) != null && option.equals("--wrap")) {
            imports(verb).wrap = true;
        } else if (imports(verb) != null && option.equals("--hidden")) {
            imports(verb).hidden = true;
        } else if (imports(verb) != null && threads != null) {
            imports(verb).threads = threads;
        } else if (verb instanceof LsCommand l && option.equals("--json")) {
            l.json = true;
        } else if (verb instanceof LsCommand l && option.equals("-l")) {
            l.longList = true;
        } else if (verb instanceof LsCommand l && option.equals("--cids")) {
            l.cids = true;
        } else if (verb instanceof LsCommand l && option.equals("--unixfs")) {
            l.unixfs = true;
        } else if (verb instanceof LsCommand l && option.equals("--root")) {
            l.args.root = value;
        } else if (verb instanceof BlocksCommand b && option.equals("--json")) {
            b.json = true;
        } else if (verb instanceof BlocksCommand b && option.equals("--verbose-list")) {
            b.verboseList = true;
        } else if (verb instanceof StoreCommand.Ls sl && option.equals("--json")) {
            sl.json = true;
        } else if (verb instanceof ImportCommand m && option.equals("--json")) {
            m.json = true;
        } else if (verb instanceof ImportCommand m && option.equals("--stats")) {
            m.stats = true;
        } else if (verb instanceof ImportCommand m && option.equals("--apptainer-cache")) {
            m.apptainerCache = true;
        } else if (verb instanceof ImportCommand m && option.equals("--path")) {
            m.path = value;
        } else if (store(verb) != null && option.equals("--store")) {
            try {
                store(verb).store = java.nio.file.Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                return false; // picocli says what is wrong with it
            }
        } else if (verb instanceof PackCommand p && option.equals("--force")) {
            p.out.force = true;
        } else if (verb instanceof PackCommand p && option.equals("--output")) {
            p.out.output = value;
        } else {
            return false;
        }
        return true;
    }

    /** The output options of extract and get; null for the other verbs. */
    private static OutputOptions output(Verb verb) {
        if (verb instanceof ExtractCommand x) {
            return x.output;
        }
        return verb instanceof GetCommand g ? g.output : null;
    }

    /** The store option of import, get, store ls and store verify; null for the other verbs. */
    private static StoreOption store(Verb verb) {
        if (verb instanceof ImportCommand m) {
            return m.storeOption;
        } else if (verb instanceof StoreCommand.Ls sl) {
            return sl.storeOption;
        } else if (verb instanceof StoreCommand.Verify sv) {
            return sv.storeOption;
        }
        return verb instanceof GetCommand g ? g.storeOption : null;
    }

    /** What cid and pack import and how; null for the other verbs. */
    private static ImportOptionsMixin imports(Verb verb) {
        if (verb instanceof CidCommand c) {
            return c.in;
        }
        return verb instanceof PackCommand p ? p.in : null;
    }

    /** Gives the verb its operands; false when their number is not one it takes. */
    private static boolean operands(Verb verb, List<String> ops) {
        if (verb instanceof RootsCommand r && ops.size() == 1) {
            r.file = ops.get(0);
        } else if (verb instanceof InspectCommand i && ops.size() == 1) {
            i.target = ops.get(0);
        } else if (verb instanceof VerifyCommand v && !ops.isEmpty()) {
            v.files = ops;
        } else if (verb instanceof ExtractCommand x && (ops.size() == 1 || ops.size() == 2)) {
            x.args.file = ops.get(0);
            x.args.path = ops.size() == 2 ? ops.get(1) : null;
        } else if (verb instanceof LsCommand l && (ops.size() == 1 || ops.size() == 2)) {
            l.args.file = ops.get(0);
            l.args.path = ops.size() == 2 ? ops.get(1) : null;
        } else if (verb instanceof BlocksCommand b && ops.size() == 1) {
            b.file = ops.get(0);
        } else if (verb instanceof ImportCommand m && !ops.isEmpty()) {
            m.files = ops;
        } else if (verb instanceof GetCommand g && ops.size() == 1) {
            g.target = ops.get(0);
        } else if ((verb instanceof StoreCommand.Ls || verb instanceof StoreCommand.Verify) && ops.isEmpty()) {
            return true;
        } else if (imports(verb) != null && !ops.isEmpty()) {
            List<java.nio.file.Path> paths = new ArrayList<>();
            for (String op : ops) {
                try {
                    paths.add(java.nio.file.Path.of(op));
                } catch (java.nio.file.InvalidPathException e) {
                    return false; // picocli says what is wrong with it
                }
            }
            imports(verb).paths = paths;
        } else {
            return false;
        }
        return true;
    }
}
