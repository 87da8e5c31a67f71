package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** docs/errors.md names a test for each error: every one it names must exist. */
class ErrorsDocTest {
    private static final List<String> PACKAGES = List.of("cli", "block", "car", "cid", "error", "ipld", "unixfs", "unixfs.extract",
            "unixfs.importer", "unixfs.pack", "store", "gateway", "sif", "dagpb");

    @Test
    void everyTestTheErrorTableNamesExists() throws Exception {
        String doc = Files.readString(Fixtures.projectDir().resolve("docs/errors.md"));
        Matcher m = Pattern.compile("`([A-Z][A-Za-z]+)#([a-zA-Z]+)`").matcher(doc);
        List<String> missing = new ArrayList<>();
        int n = 0;
        while (m.find()) {
            n++;
            if (!exists(m.group(1), m.group(2))) {
                missing.add(m.group(1) + "#" + m.group(2));
            }
        }
        assertTrue(n >= 30, "the table names " + n + " tests");
        if (!missing.isEmpty()) {
            fail("docs/errors.md names tests that do not exist: " + missing);
        }
    }

    private static boolean exists(String cls, String method) {
        for (String p : PACKAGES) {
            try {
                Class<?> c = Class.forName("dev.cartool." + p + "." + cls);
                for (java.lang.reflect.Method x : c.getDeclaredMethods()) {
                    if (x.getName().equals(method)) {
                        return true;
                    }
                }
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        return false;
    }
}
