package dev.cartool.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import picocli.CommandLine;

/**
 * The training run for the class-data-sharing archive the launchers keep: runs the common verbs
 * once each on a small generated file and tree, in one JVM, so that the archive dumped at its
 * exit holds the classes of all of them, not only of whichever command a user happened to run
 * first ({@code car roots} archived alone left verify and extract ~60 ms slower at every start).
 * Writes only under a temporary directory it removes, and prints nothing.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=car.jsa -cp car.jar dev.cartool.cli.CdsTraining}
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("car-cds-training-");
        int failed = 0;
        try {
            failed = train(dir);
        } finally {
            dev.cartool.io.TempPaths.deleteTree(dir);
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Runs the verbs in {@code dir}; returns how many did not exit 0 (none, unless car is broken). */
    static int train(Path dir) throws IOException {
        Random r = new Random(1);
        Path file = dir.resolve("image.bin");
        byte[] data = new byte[700_000]; // three leaves and a root
        r.nextBytes(data);
        sifShaped(data);
        Files.write(file, data);
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("a.txt"), "a small file\n");
        Files.write(dir.resolve("tree/b.bin"), java.util.Arrays.copyOf(data, 5000));
        String car = dir.resolve("image.car").toString();
        String treeCar = dir.resolve("tree.car").toString();
        String store = dir.resolve("store").toString();
        String out = dir.resolve("out").toString();
        Map<String, String> env = Map.of("HOME", dir.toString(), "TMPDIR", dir.toString());

        int failed = 0;
        failed += run(env, "pack", "-q", file.toString(), "-o", car);
        failed += run(env, "pack", "-q", dir.resolve("tree").toString(), "-o", treeCar);
        String root = root(car, env);
        failed += run(env, "cid", "-q", file.toString());
        failed += run(env, "verify", car);
        failed += run(env, "verify", "--json", treeCar);
        failed += run(env, "inspect", "--full", car);
        failed += run(env, "inspect", "--json", treeCar);
        failed += run(env, "blocks", "-v", car);
        failed += run(env, "ls", treeCar);
        failed += run(env, "extract", "-q", car, "-o", out + ".bin");
        failed += run(env, "extract", "-q", treeCar, "-o", out + ".d");
        // An image large enough to be written past the page cache (its classes, and the writer's,
        // came from the jar at every extract of one: the jar opened, ~5 ms); sparse, one leaf repeated.
        Path zeros = dir.resolve("zeros.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(zeros.toFile(), "rw")) {
            f.setLength(dev.cartool.io.AlignedWriter.BYPASS_CACHE_FROM + 4096);
        }
        String zerosCar = dir.resolve("zeros.car").toString();
        failed += run(env, "pack", "-q", zeros.toString(), "-o", zerosCar);
        failed += run(env, "extract", "-q", zerosCar, "-o", out + ".zeros");
        failed += run(env, "get-block", car, root, "-o", out + ".block");
        failed += run(env, "index", "-q", car, out + ".v2.car");
        failed += run(env, "verify", "-q", out + ".v2.car");
        failed += run(env, "import", "-q", "--store", store, car);
        failed += run(env, "get", "-q", "--store", store, root, "-o", out + ".get");
        failed += run(env, "store", "ls", "--store", store);
        failed += run(env, "store", "verify", "-q", "--store", store);
        // What a CAR made with mtimes (ipfs add --preserve-mtime) decodes to: the training's own
        // packs record none, and ls or extract of such a tree loaded it from the jar (the jar opened).
        failed += new dev.cartool.unixfs.UnixFsData.Mtime(0, 0).seconds() == 0 ? 0 : 1;
        // The quick path of roots and inspect (no picocli).
        PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
        CarCommand quickRoot = new CarCommand();
        quickRoot.env = env;
        failed += QuickStart.run(new String[] {"roots", car}, quickRoot, none, none) == 0 ? 0 : 1;
        failed += QuickStart.run(new String[] {"inspect", root}, quickRoot, none, none) == 0 ? 0 : 1;
        failed += QuickStart.run(new String[] {"inspect", car}, quickRoot, none, none) == 0 ? 0 : 1;
        return failed;
    }

    /**
     * Gives {@code data} a SIF's header and one partition descriptor, so that inspect's report of
     * an image (what a container CAR holds) is trained too: without it `car inspect` of a SIF
     * loaded its classes from the jar at every start.
     */
    private static void sifShaped(byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.Arrays.fill(data, 0, 4096, (byte) 0);
        b.put(32, "SIF_MAGIC".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put(42, "01".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put(45, "02".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int d = dev.cartool.sif.SifInfo.HEADER_LENGTH;
        b.putLong(88, 1).putLong(96, d).putLong(104, dev.cartool.sif.SifInfo.DESCRIPTOR_LENGTH);
        b.putLong(112, 4096).putLong(120, data.length - 4096);
        b.putInt(d, dev.cartool.sif.SifInfo.DATA_PARTITION).put(d + 4, (byte) 1).putInt(d + 5, 1);
        b.putLong(d + 17, 4096).putLong(d + 25, data.length - 4096);
        b.putInt(d + 201, 1).putInt(d + 205, 2);
        b.put(d + 209, "02".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static int run(Map<String, String> env, String... args) {
        CommandLine cl = CarCommand.newCommandLine(OutputStream.nullOutputStream(), env);
        PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
        cl.setOut(none);
        cl.setErr(none);
        return cl.execute(args) == 0 ? 0 : 1;
    }

    private static String root(String car, Map<String, String> env) {
        java.io.StringWriter text = new java.io.StringWriter();
        CommandLine cl = CarCommand.newCommandLine(OutputStream.nullOutputStream(), env);
        cl.setOut(new PrintWriter(text));
        cl.execute("roots", car);
        return text.toString().trim();
    }
}
