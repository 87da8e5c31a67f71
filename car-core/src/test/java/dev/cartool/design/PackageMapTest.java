package dev.cartool.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The package map in docs/design.md is the rule: every package of car-core has a row, and each
 * uses only the packages its row lists (so there is no cycle). A new import that crosses the map
 * fails here: change the map on purpose or move the code.
 */
class PackageMapTest {
    private static final Pattern ROW = Pattern.compile("^\\| `dev\\.cartool\\.([a-z.]+)`[^|]*\\|[^|]*\\| ([^|]*) \\|$");
    private static final Pattern NAME = Pattern.compile("`([a-z.]+)`");
    private static final Pattern USE = Pattern.compile("\\bdev\\.cartool\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    @Test
    void everyPackageUsesOnlyWhatTheMapAllowsAndThereIsNoCycle() throws IOException {
        Map<String, Set<String>> allowed = map();
        Map<String, Set<String>> uses = uses(Fixtures.projectDir().resolve("car-core/src/main/java"));
        assertTrue(uses.size() >= 14, "packages found: " + uses.keySet());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            Set<String> may = allowed.get(e.getKey());
            if (may == null) {
                wrong.add(e.getKey() + " has no row in docs/design.md");
                continue;
            }
            for (String used : e.getValue()) {
                if (!may.contains(used)) {
                    wrong.add(e.getKey() + " uses " + used + ", which its row does not list");
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
        // Rows lower in the table may not use rows above them: the map itself has no cycle.
        List<String> order = new ArrayList<>(allowed.keySet());
        for (String p : order) {
            for (String q : allowed.get(p)) {
                assertTrue(!allowed.containsKey(q) || !reaches(allowed, q, p, new TreeSet<>()),
                        p + " and " + q + " use each other");
            }
        }
    }

    @Test
    void theCheckSeesAnImportThatCrossesTheMap() {
        // The scanner itself: a fully qualified use counts as much as an import.
        Matcher m = USE.matcher("import dev.cartool.unixfs.extract.Extractor; x = dev.cartool.car.CarFile.open(p);");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("unixfs.extract", "car"), found);
    }

    private static boolean reaches(Map<String, Set<String>> g, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (String n : g.getOrDefault(from, Set.of())) {
            if (reaches(g, n, to, seen)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Set<String>> map() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : Files.readAllLines(Fixtures.projectDir().resolve("docs/design.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                Set<String> may = new TreeSet<>();
                Matcher n = NAME.matcher(m.group(2));
                while (n.find()) {
                    may.add(n.group(1));
                }
                out.put(m.group(1), may);
            }
        }
        return out;
    }

    private static Map<String, Set<String>> uses(Path root) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String src = Files.readString(f);
                Matcher pm = Pattern.compile("(?m)^package dev\\.cartool\\.([a-z.]+);").matcher(src);
                if (!pm.find()) {
                    continue;
                }
                String pkg = pm.group(1);
                Set<String> used = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher u = USE.matcher(src);
                while (u.find()) {
                    if (!u.group(1).equals(pkg)) {
                        used.add(u.group(1));
                    }
                }
            }
        }
        return out;
    }
}
