package dev.cartool.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the release's manual pages (troff, {@code man/man1/car.1} and {@code car-VERB.1}) and
 * its bash completion script (which zsh loads through {@code bashcompinit}), both from the
 * picocli model of the commands, so they say what {@code car help} says. Run at package time:
 * {@code DocGen OUT_DIR VERSION}.
 */
public final class DocGen {
    private DocGen() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        String version = args.length > 1 ? args[1] : "";
        CommandLine cl = CarCommand.newCommandLine();
        Path man = Files.createDirectories(out.resolve("man/man1"));
        Files.writeString(man.resolve("car.1"), page(cl, version, true), StandardCharsets.UTF_8);
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            Files.writeString(man.resolve("car-" + e.getKey() + ".1"), page(e.getValue(), version, false), StandardCharsets.UTF_8);
            for (Map.Entry<String, CommandLine> sub : e.getValue().getSubcommands().entrySet()) {
                Files.writeString(man.resolve("car-" + e.getKey() + "-" + sub.getKey() + ".1"),
                        page(sub.getValue(), version, false), StandardCharsets.UTF_8);
            }
        }
        Path completion = Files.createDirectories(out.resolve("bash-completion/completions"));
        Files.writeString(completion.resolve("car"), AutoComplete.bash("car", cl), StandardCharsets.UTF_8);
    }

    /** One manual page in troff (man(7) macros). */
    static String page(CommandLine cl, String version, boolean top) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName().replace(' ', '-');
        StringBuilder sb = new StringBuilder();
        sb.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"").append(LocalDate.now())
                .append("\" \"car ").append(esc(version)).append("\" \"car manual\"\n");
        sb.append(".SH NAME\n").append(esc(name)).append(" \\- ").append(esc(firstSentence(spec))).append('\n');
        sb.append(".SH SYNOPSIS\n.B ").append(esc(spec.qualifiedName())).append('\n');
        String synopsis = cl.getHelp().synopsis(0).trim();
        int space = synopsis.indexOf(' ', spec.qualifiedName().length() - 1);
        if (space > 0) {
            sb.append(esc(synopsis.substring(space + 1).replaceAll("\\s+", " "))).append('\n');
        }
        sb.append(".SH DESCRIPTION\n");
        for (String para : spec.usageMessage().description()) {
            sb.append(".PP\n").append(esc(para)).append('\n');
        }
        List<PositionalParamSpec> params = spec.positionalParameters();
        if (!params.isEmpty()) {
            sb.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) {
                sb.append(".TP\n.I ").append(esc(p.paramLabel())).append('\n').append(esc(String.join(" ", p.description())))
                        .append('\n');
            }
        }
        List<OptionSpec> options = new ArrayList<>(spec.options());
        if (!options.isEmpty()) {
            sb.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                sb.append(".TP\n.B ").append(esc(String.join(", ", o.names())));
                if (o.arity().max() > 0) {
                    sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
                }
                sb.append('\n').append(esc(String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                        String.valueOf(o.defaultValue())))).append('\n');
            }
        }
        if (top) {
            sb.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
                if (!e.getKey().equals("help")) {
                    sb.append(".TP\n.B car ").append(esc(e.getKey())).append('\n')
                            .append(esc(firstSentence(e.getValue().getCommandSpec()))).append('\n');
                }
            }
        }
        sb.append(".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\nthe data failed a check or is malformed, a limit was "
                + "reached, or a write failed\n.TP\n2\nusage error (bad argument, bad CID string, missing file)\n");
        sb.append(".SH SEE ALSO\n").append(top ? "car-extract(1), car-verify(1), car-serve(1)" : "car(1)")
                .append("; share/doc/car/cli.md and errors.md in the release\n");
        return sb.toString();
    }

    private static String firstSentence(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        String s = d.length == 0 ? spec.name() : d[0];
        int dot = s.indexOf(". ");
        return dot > 0 ? s.substring(0, dot + 1) : s;
    }

    /** Text safe in troff: backslashes doubled, a leading dot or quote escaped, dashes as minus signs. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t.replace("\n.", "\n\\&.");
    }
}
