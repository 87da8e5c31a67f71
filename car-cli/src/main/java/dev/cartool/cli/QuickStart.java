package dev.cartool.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/**
 * Runs {@code roots} and {@code inspect} without picocli when their arguments are plain: one
 * operand and flags each given once. These verbs print a header or the parts of a CID in a
 * few milliseconds, and picocli's model of a verb costs ~45 ms before that: it reads the
 * verb's annotations through proxy classes the JVM generates at every start (class-data
 * sharing cannot keep them on Java 17) and registers its type converters. Measured in
 * docs/benchmarks.md.
 *
 * <p>Anything else (help, an unknown or repeated option, {@code --}, an {@code @file}, bundled
 * short options, a missing or second operand) is left to picocli, so every message about
 * arguments still comes from one parser. The verb object, its fields and its {@code call()}
 * are the ones picocli would run; QuickStartTest holds both paths to the same output, error
 * and exit code.
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
        if (args.length < 2) {
            return NOT_HANDLED;
        }
        String verbName = CarCommand.ALIASES.getOrDefault(args[0], args[0]);
        Verb verb;
        if (verbName.equals("roots")) {
            verb = new RootsCommand();
        } else if (verbName.equals("inspect")) {
            verb = new InspectCommand();
        } else {
            return NOT_HANDLED;
        }
        CommonOptions common = new CommonOptions();
        String operand = null;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String option = canonical(a);
            if (option == null) {
                if (operand != null || a.startsWith("@") || (a.startsWith("-") && !a.equals("-"))) {
                    return NOT_HANDLED;
                }
                operand = a;
                continue;
            }
            if (!seen.add(option)) {
                return NOT_HANDLED;
            }
            switch (option) {
                case "--quiet" -> common.quiet = true;
                case "--verbose" -> common.verbose = true;
                case "--allow-truncated-digests" -> common.allowTruncatedDigests = true;
                case "--json" -> {
                    if (verb instanceof RootsCommand r) {
                        r.json = true;
                    } else {
                        ((InspectCommand) verb).json = true;
                    }
                }
                case "--full" -> {
                    if (!(verb instanceof InspectCommand inspect)) {
                        return NOT_HANDLED;
                    }
                    inspect.full = true;
                }
                default -> {
                    return NOT_HANDLED;
                }
            }
        }
        if (operand == null) {
            return NOT_HANDLED;
        }
        if (verb instanceof RootsCommand r) {
            r.file = operand;
        } else {
            ((InspectCommand) verb).target = operand;
        }
        verb.common = common;
        String name = "car " + verbName;
        verb.direct = new Verb.Direct(name, out, err, root);
        dev.cartool.block.BlockVerifier.allowTruncatedDigests(common.allowTruncatedDigests);
        try {
            return verb.call();
        } catch (Exception e) {
            return CarCommand.report(e, err, name, verb.input, common.verbose);
        }
    }

    /** The long name of an option these verbs take, or null for an operand or anything else. */
    private static String canonical(String arg) {
        return switch (arg) {
            case "-q", "--quiet" -> "--quiet";
            case "--verbose", "--allow-truncated-digests", "--json", "--full" -> arg;
            default -> null;
        };
    }
}
