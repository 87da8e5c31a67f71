package dev.cartool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Properties;

import dev.cartool.error.CarException;
import dev.cartool.error.Kind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code car} command: parses arguments, runs one verb, maps failures to exit codes. */
@Command(name = "car",
        mixinStandardHelpOptions = true,
        versionProvider = CarCommand.Version.class,
        description = "Inspect, verify, extract and pack IPFS CAR archives, offline.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the data failed a check or is malformed (bad hash, truncated, missing block)",
            "2:usage error (bad argument, bad CID string, missing file)"
        },
        footer = {"", "Run 'car help <verb>' for a verb's options. Errors name the byte offset and the CID."})
public final class CarCommand implements Runnable {
    public static final int OK = 0;
    public static final int DATA_ERROR = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where verbs write raw bytes; System.out unless a test sets another stream. */
    java.io.OutputStream binaryOut;

    /** The environment verbs read (HOME, CAR_STORE, ...): the process's unless a test sets another. */
    java.util.Map<String, String> env = System.getenv();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing verb");
    }

    /**
     * The verbs, in the order {@code --help} lists them; made when picocli first needs them, so
     * that a run on the quick path links no constructor reference (the first lambda of a run
     * starts the JVM's method-handle machinery: ~8 ms of a 55 ms {@code car roots}).
     */
    private static final class Verbs {
        static final java.util.Map<String, java.util.function.Supplier<Object>> ALL = verbs();
    }

    private static java.util.Map<String, java.util.function.Supplier<Object>> verbs() {
        java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
        m.put("inspect", InspectCommand::new);
        m.put("verify", VerifyCommand::new);
        m.put("roots", RootsCommand::new);
        m.put("blocks", BlocksCommand::new);
        m.put("get-block", GetBlockCommand::new);
        m.put("extract", ExtractCommand::new);
        m.put("ls", LsCommand::new);
        m.put("pack", PackCommand::new);
        m.put("create", CreateCommand::new);
        m.put("index", IndexCommand::new);
        m.put("detach-index", DetachIndexCommand::new);
        m.put("filter", FilterCommand::new);
        m.put("get-dag", GetDagCommand::new);
        m.put("concat", ConcatCommand::new);
        m.put("cid", CidCommand::new);
        m.put("import", ImportCommand::new);
        m.put("get", GetCommand::new);
        m.put("store", StoreCommand::new);
        m.put("serve", ServeCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /** go-car's short spellings of its verbs, accepted as aliases of ours. */
    static final java.util.Map<String, String> ALIASES = java.util.Map.of(
            "root", "roots", "x", "extract", "v", "verify", "gb", "get-block", "gd", "get-dag",
            "i", "index", "f", "filter", "c", "create", "list", "ls", "l", "ls");

    private static String[] aliasesOf(String verb) {
        return ALIASES.entrySet().stream().filter(e -> e.getValue().equals(verb)).map(java.util.Map.Entry::getKey)
                .sorted().toArray(String[]::new);
    }

    public static void main(String[] args) {
        // Building the model of one verb instead of all of them saves tens of milliseconds of
        // start-up (picocli reads every verb's annotations): measured in docs/benchmarks.md.
        String verb = args.length > 0 ? ALIASES.getOrDefault(args[0], args[0]) : "";
        // Standard output without PrintStream, which swallows write errors: a full disk or a
        // closed pipe must fail the command, never leave a truncated output behind exit 0.
        StdoutStream stdout = new StdoutStream();
        PrintWriter text = new PrintWriter(new java.io.OutputStreamWriter(stdout, java.nio.charset.Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.Charset.defaultCharset()), true);
        // roots and inspect with plain arguments skip picocli's model (half of their run time).
        CarCommand quickRoot = new CarCommand();
        quickRoot.binaryOut = stdout;
        int code = QuickStart.run(args, quickRoot, text, err);
        if (code == QuickStart.NOT_HANDLED) {
            CommandLine cl = Verbs.ALL.containsKey(verb) && !verb.equals("help")
                    ? newCommandLine(stdout, java.util.List.of(verb)) : newCommandLine(stdout, Verbs.ALL.keySet());
            cl.setOut(text);
            cl.setErr(err);
            code = cl.execute(args);
        }
        text.flush();
        if (code == OK && (text.checkError() || stdout.failure != null)) {
            err.println("car: " + (stdout.failure != null ? stdout.failure.getMessage() : "standard output: write failed"));
            err.flush();
            code = DATA_ERROR;
        }
        System.exit(code);
    }

    /**
     * File descriptor 1 as a plain stream: write errors surface as {@link IOException}s that
     * name standard output, and are remembered for the text writer, which hides them.
     */
    static final class StdoutStream extends java.io.OutputStream {
        private final java.io.FileOutputStream fd = new java.io.FileOutputStream(java.io.FileDescriptor.out);
        IOException failure;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                fd.write(b, off, len);
            } catch (IOException e) {
                failure = new IOException("standard output: write failed: " + e.getMessage(), e);
                throw failure;
            }
        }
    }

    /** A configured command line: the same object tests drive with captured output. */
    public static CommandLine newCommandLine() {
        return newCommandLine(null);
    }

    /** A command line whose raw-byte output (e.g. {@code get-block}) goes to {@code binaryOut}. */
    public static CommandLine newCommandLine(java.io.OutputStream binaryOut) {
        return newCommandLine(binaryOut, Verbs.ALL.keySet());
    }

    /** As above, with the environment the verbs see (tests give each its own HOME). */
    public static CommandLine newCommandLine(java.io.OutputStream binaryOut, java.util.Map<String, String> env) {
        CommandLine cl = newCommandLine(binaryOut, Verbs.ALL.keySet());
        ((CarCommand) cl.getCommand()).env = env;
        return cl;
    }

    private static CommandLine newCommandLine(java.io.OutputStream binaryOut, java.util.Collection<String> verbs) {
        CarCommand root = new CarCommand();
        root.binaryOut = binaryOut;
        CommandLine cl = new CommandLine(root);
        for (String v : verbs) {
            cl.addSubcommand(v, Verbs.ALL.get(v).get(), aliasesOf(v));
        }
        cl.setExecutionStrategy(parsed -> {
            Object verb = parsed.subcommand() != null ? lastCommand(parsed) : null;
            if (verb instanceof Verb) {
                try {
                    ((Verb) verb).applyProcessSettings();
                } catch (UsageException e) {
                    return handleFailure(e, ((Verb) verb).spec.commandLine(), parsed);
                }
            } else {
                dev.cartool.block.BlockVerifier.allowTruncatedDigests(false);
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler(CarCommand::handleFailure);
        cl.setParameterExceptionHandler(CarCommand::handleUsage);
        cl.setExitCodeExceptionMapper(t -> DATA_ERROR);
        return cl;
    }

    private static int handleUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String hint = "see '" + qualifiedName(cl) + " --help'";
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            java.util.List<String> suggestions = ((CommandLine.UnmatchedArgumentException) e).getSuggestions();
            if (!suggestions.isEmpty()) {
                hint = "did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        err.println(qualifiedName(cl) + ": " + e.getMessage() + " (" + hint + ")");
        err.flush();
        return USAGE;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String input = cl.getCommand() instanceof Verb ? ((Verb) cl.getCommand()).input : null;
        return report(e, cl.getErr(), qualifiedName(cl), input, isVerbose(cl));
    }

    /** Prints a verb's failure as one line naming its file (and the stack with --verbose); returns the exit code. */
    static int report(Exception e, PrintWriter err, String verb, String input, boolean verbose) {
        Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
        Failure f = Failure.of(t, input);
        err.println(verb + ": " + f.message());
        if (verbose) {
            t.printStackTrace(err);
        }
        err.flush();
        return f.code();
    }

    /**
     * What an exception means to a user: an exit code and a one-line message naming the file it
     * concerns. The one mapping from exceptions to exit codes, used for a verb's failure and for
     * each argument of a batch.
     */
    record Failure(int code, String message, String kind) {
        static Failure of(Throwable t, String input) {
            if (t instanceof UncheckedIOException && t.getCause() != null) {
                t = t.getCause();
            }
            int code;
            String message;
            String kind = "io";
            boolean named = false;
            if (t instanceof UsageException) {
                code = USAGE;
                message = t.getMessage();
                kind = "usage";
            } else if (t instanceof NoSuchFileException) {
                code = USAGE;
                message = ((NoSuchFileException) t).getFile() + ": no such file";
                kind = "usage";
            } else if (t instanceof AccessDeniedException) {
                code = USAGE;
                message = ((AccessDeniedException) t).getFile() + ": permission denied";
                kind = "usage";
            } else if (t instanceof NotDirectoryException) {
                code = USAGE;
                message = ((NotDirectoryException) t).getFile() + ": not a directory";
                kind = "usage";
            } else if (t instanceof FileAlreadyExistsException) {
                FileAlreadyExistsException f = (FileAlreadyExistsException) t;
                code = USAGE;
                String reason = f.getReason() != null ? f.getReason() : "already exists";
                // The library says what is there; the CLI says which option changes it.
                if (reason.equals("already exists")) {
                    reason += " (use --force to replace it)";
                } else if (reason.contains("a file never replaces a directory")) {
                    reason += " (name a file inside it with -o)";
                }
                message = f.getFile() + ": " + reason;
                kind = "usage";
            } else if (t instanceof dev.cartool.unixfs.extract.TreeLimitException) {
                dev.cartool.unixfs.extract.TreeLimitException l = (dev.cartool.unixfs.extract.TreeLimitException) t;
                code = DATA_ERROR;
                message = t.getMessage() + "; stopped (--max-" + (l.limit().equals("bytes") ? "size" : "entries")
                        + " raises the limit)";
                kind = "limit";
            } else if (t instanceof CarException && ((CarException) t).kind() == Kind.SYNTAX) {
                code = exitCode(Kind.SYNTAX);
                message = t.getMessage();
                kind = "usage";
            } else if (t instanceof CarException) {
                code = exitCode(((CarException) t).kind());
                message = t.getMessage();
                kind = ((CarException) t).kind().label();
            } else if (t instanceof dev.cartool.error.WriteFailedException) {
                code = DATA_ERROR;
                message = t.getMessage(); // names the output, not the input
                named = true;
            } else if (t instanceof IOException) {
                code = DATA_ERROR;
                message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            } else {
                code = DATA_ERROR;
                message = "internal error: " + t;
                kind = "internal";
            }
            if (input != null && code == DATA_ERROR && !named && !message.startsWith(input + ":")
                    && !message.startsWith("standard output:")) {
                message = ("-".equals(input) ? "standard input" : input) + ": " + message; // every error names its file
            }
            return new Failure(code, message, kind);
        }
    }

    /**
     * The one mapping from a kind of problem to an exit code: text that does not parse (a CID or
     * path argument) is a usage error; every problem with the data is a data failure.
     */
    static int exitCode(Kind kind) {
        return kind == Kind.SYNTAX ? USAGE : DATA_ERROR;
    }

    /** A batch's exit code: any data failure makes it 1; usage failures alone, 2. */
    static int worst(int a, int b) {
        if (a == DATA_ERROR || b == DATA_ERROR) {
            return DATA_ERROR;
        }
        return Math.max(a, b);
    }

    private static Object lastCommand(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p.commandSpec().userObject();
    }

    private static String qualifiedName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }

    private static boolean isVerbose(CommandLine cl) {
        Object cmd = cl.getCommand();
        return cmd instanceof Verb && ((Verb) cmd).common.verbose;
    }

    /** Reads the version Maven wrote into the jar's resources. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = CarCommand.class.getResourceAsStream("/car-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            String commit = p.getProperty("commit", "");
            if (commit.isEmpty() || commit.startsWith("${")) {
                commit = "unknown";
            } else if ("true".equals(p.getProperty("dirty"))) {
                commit += " with local changes";
            }
            return new String[] {
                "car " + p.getProperty("version", "(unknown version)") + " (commit " + commit + ")",
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
