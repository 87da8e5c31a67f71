import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import dev.cartool.car.Block;
import dev.cartool.car.CarWriter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.cid.Multihash;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;
import dev.cartool.unixfs.UnixFsData;

/**
 * Writes the regression fixtures: inputs that once got past `car` (issue 9), kept so that they
 * never do again. RegressionFixturesTest replays each with the outcome expected.md gives.
 *   java -cp car-cli/target/car.jar testdata/regressions/Make.java testdata/regressions
 */
public final class Make {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        byte[] data = "anything at all".getBytes(StandardCharsets.US_ASCII);
        byte[] full = Multihash.digest(Multicodec.SHA2_256, data).digest();
        for (int len : new int[] {0, 16}) {
            Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, Arrays.copyOf(full, len)));
            write(out.resolve("sha256-digest-" + len + "-bytes.car"), List.of(cid), List.of(Block.of(cid, data)));
        }
        dagCbor(out, "dagcbor-duplicate-keys.car", "a2616101616102");
        dagCbor(out, "dagcbor-unsorted-keys.car", "a262626201616102");
        dagCbor(out, "dagcbor-indefinite-array.car", "9f01ff");
        dagCbor(out, "dagcbor-nonminimal-int.car", "a161611801");
        // 22 directory levels each naming its child twice: 4 million paths in a few KB.
        byte[] leaf = "x".getBytes(StandardCharsets.US_ASCII);
        Cid child = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, leaf);
        List<Block> blocks = new ArrayList<>();
        blocks.add(Block.of(child, leaf));
        byte[] dirData = UnixFsData.builder(UnixFsData.Type.DIRECTORY).build().encode();
        for (int i = 0; i < 22; i++) {
            byte[] dir = DagPb.encode(new PbNode(List.of(new PbLink(child, "a", 1L), new PbLink(child, "b", 1L)), dirData));
            child = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, dir);
            blocks.add(Block.of(child, dir));
        }
        java.util.Collections.reverse(blocks);
        write(out.resolve("dag-bomb-22-levels.car"), List.of(child), blocks);
    }

    private static void dagCbor(Path out, String name, String hex) throws Exception {
        byte[] b = HexFormat.of().parseHex(hex);
        Cid cid = Cid.of(Multicodec.DAG_CBOR, Multicodec.SHA2_256, b);
        write(out.resolve(name), List.of(cid), List.of(Block.of(cid, b)));
    }

    private static void write(Path file, List<Cid> roots, List<Block> blocks) throws Exception {
        try (OutputStream o = Files.newOutputStream(file); CarWriter w = CarWriter.create(o, roots)) {
            for (Block b : blocks) {
                w.write(b);
            }
        }
    }
}
