package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The docs run (go-car keeps its CLI docs honest the same way, with testscript transcripts):
 * every {@code ```console} block of the README and the user guide is a transcript. Each
 * {@code $ } line runs in a shell, in one working directory per document where {@code testdata/}
 * is the project's and {@code car} is this build, and what it prints (stdout and stderr) must
 * be the lines that follow; {@code ...} in a line matches anything. Blocks marked {@code sh}
 * are shown, not run (they need Apptainer, Kubo or a cluster).
 */
class DocsRunTest {
    private static final Pattern BLOCK = Pattern.compile("```console\\n(.*?)```", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/user-guide.md"})
    void everyTranscriptRunsAsWritten(String doc) throws Exception {
        Path project = Fixtures.projectDir();
        String text = Files.readString(project.resolve(doc));
        Path work = Files.createTempDirectory("car-docs");
        Path bin = Files.createDirectories(work.resolve(".bin"));
        Path home = Files.createDirectories(work.resolve(".home"));
        Files.createSymbolicLink(work.resolve("testdata"), project.resolve("testdata"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path car = bin.resolve("car");
        Files.writeString(car, "#!/bin/sh\nexec '" + java + "' -Xmx512m -cp '" + System.getProperty("java.class.path")
                + "' dev.cartool.cli.CarCommand \"$@\"\n");
        car.toFile().setExecutable(true);
        // The docs run ./car, as a checkout does.
        Files.copy(car, work.resolve("car")).toFile().setExecutable(true);
        int commands = 0;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            List<String> lines = m.group(1).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("$ ")) {
                    continue;
                }
                String command = lines.get(i).substring(2);
                List<String> expected = new ArrayList<>();
                while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ")) {
                    expected.add(lines.get(++i));
                }
                check(doc, command, expected, run(work, bin, home, command));
                commands++;
            }
        }
        assertTrue(commands >= (doc.equals("README.md") ? 1 : 15), doc + ": " + commands + " commands run");
    }

    private static String run(Path work, Path bin, Path home, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("CAR_STORE");
        pb.environment().remove("XDG_DATA_HOME");
        pb.environment().put("APPTAINER_CACHEDIR", home.resolve(".apptainer").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + ": did not finish");
        }
        return out;
    }

    private static void check(String doc, String command, List<String> expected, String actual) {
        List<String> got = actual.lines().toList();
        String where = doc + ": $ " + command + "\n--- expected\n" + String.join("\n", expected) + "\n--- got\n" + actual;
        assertEquals(expected.size(), got.size(), where);
        for (int i = 0; i < expected.size(); i++) {
            String regex = Pattern.quote(expected.get(i)).replace("...", "\\E.*\\Q");
            assertTrue(got.get(i).matches(regex), "line " + (i + 1) + ": " + where);
        }
    }
}
