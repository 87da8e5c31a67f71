package dev.cartool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/library.md's example, compiled and run as written, so the library docs cannot drift. */
class LibraryDocTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryExampleCompilesRunsAndExtractsTheImage() throws Exception {
        String doc = Files.readString(Fixtures.projectDir().resolve("docs/library.md"));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(m.find(), "docs/library.md has a java example");
        Path src = Files.writeString(tmp.resolve("LibraryExample.java"), m.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK compiler");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", tmp.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, diagnostics.toString());
        Path out = tmp.resolve("lolcow.sif");
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass("LibraryExample").getMethod("main", String[].class).invoke(null, (Object) new String[] {
                Fixtures.testdata("lolcow-wrapped.car").toString(), "lolcow.sif", out.toString()});
        } finally {
            System.setOut(saved);
        }
        var wrapped = Fixtures.json("fixtures.json").get("files").get("lolcow-wrapped.car");
        assertEquals(wrapped.get("content").get("sha256").asText(), BoundedMemoryTest.hash(out));
        assertEquals(wrapped.get("root").asText() + "/lolcow.sif: 344064 bytes", printed.toString().strip());
        assertEquals(List.of(out), List.of(tmp.resolve("lolcow.sif")));
    }
}
