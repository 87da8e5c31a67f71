package dev.cartool.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Every test docs/gateway.md names for a spec feature exists: the table cannot claim a test that is gone. */
class GatewayDocTest {
    @Test
    void everyTestTheSpecTableNamesExists() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.projectDir().resolve("docs/gateway.md"));
        List<Class<?>> classes = List.of(GatewayTest.class, GatewayAbuseTest.class,
                Class.forName("dev.cartool.unixfs.HamtTest"));
        Pattern name = Pattern.compile("`([a-z][A-Za-z0-9]+|[A-Z][A-Za-z]+Test)`");
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (String line : lines) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !line.startsWith("| ")) {
                continue;
            }
            Matcher m = name.matcher(cells[3]);
            while (m.find()) {
                named++;
                String n = m.group(1);
                boolean found = classes.stream().anyMatch(c -> c.getSimpleName().equals(n)
                        || Arrays.stream(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(n)));
                if (!found) {
                    missing.add(n);
                }
            }
        }
        assertTrue(named >= 20, "the table names " + named + " tests");
        assertTrue(missing.isEmpty(), "docs/gateway.md names tests that do not exist: " + missing);
    }
}
