import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.cartool.car.CarWriter;
import dev.cartool.cid.Cid;
import dev.cartool.cid.Multicodec;
import dev.cartool.dagpb.DagPb;
import dev.cartool.dagpb.PbLink;
import dev.cartool.dagpb.PbNode;

/**
 * Benchmark input: a UnixFS file of N pseudo-random bytes laid out as `ipfs add --cid-version 1`
 * would (262144-byte raw leaves, balanced, 174 links a node), written as a CARv1 in dag-export
 * order (root first) or leaves first (--leaves-first, as ipfs-car writes). Data is regenerated
 * from the seed in the second pass, so memory stays small.
 *
 *   java -cp car-cli/target/car.jar bench/GenCar.java OUT.car BYTES [--leaves-first] [--chunk N]
 *
 * --chunk makes leaves of N bytes instead: 64 gives a CAR of millions of tiny blocks.
 */
public final class GenCar {
    static int CHUNK = 262144;
    static final int WIDTH = 174;

    record Node(Cid cid, byte[] bytes, long fileSize, long tsize, List<Node> children, long leafIndex) {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        boolean leavesFirst = false;
        for (int a = 2; a < args.length; a++) {
            if (args[a].equals("--leaves-first")) {
                leavesFirst = true;
            } else if (args[a].equals("--chunk")) {
                CHUNK = Integer.parseInt(args[++a]);
            }
        }
        long leaves = Math.max(1, (size + CHUNK - 1) / CHUNK);
        List<Node> level = new ArrayList<>();
        byte[] buf = new byte[CHUNK];
        for (long i = 0; i < leaves; i++) {
            int len = (int) Math.min(CHUNK, size - i * CHUNK);
            fill(buf, i, len);
            Cid cid = Cid.of(Multicodec.RAW, Multicodec.SHA2_256, java.util.Arrays.copyOf(buf, len));
            level.add(new Node(cid, null, len, len, List.of(), i));
        }
        while (level.size() > 1) {
            List<Node> up = new ArrayList<>();
            for (int i = 0; i < level.size(); i += WIDTH) {
                up.add(parent(level.subList(i, Math.min(level.size(), i + WIDTH))));
            }
            level = up;
        }
        Node root = level.get(0);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
                CarWriter w = CarWriter.create(os, List.of(root.cid()))) {
            write(root, w, buf, size, leavesFirst);
        }
        System.out.println(root.cid());
    }

    static Node parent(List<Node> kids) {
        long fileSize = 0;
        long tsize = 0;
        List<PbLink> links = new ArrayList<>();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        data.write(0x08);
        data.write(0x02); // Type = File
        for (Node k : kids) {
            fileSize += k.fileSize();
            tsize += k.tsize();
            links.add(new PbLink(k.cid(), "", k.tsize()));
        }
        data.write(0x18);
        varint(data, fileSize);
        for (Node k : kids) {
            data.write(0x20);
            varint(data, k.fileSize());
        }
        byte[] bytes = DagPb.encode(new PbNode(links, data.toByteArray()));
        Cid cid = Cid.of(Multicodec.DAG_PB, Multicodec.SHA2_256, bytes);
        return new Node(cid, bytes, fileSize, tsize + bytes.length, List.copyOf(kids), -1);
    }

    static void write(Node n, CarWriter w, byte[] buf, long size, boolean leavesFirst) throws IOException {
        if (n.bytes() == null) {
            int len = (int) Math.min(CHUNK, size - n.leafIndex() * CHUNK);
            fill(buf, n.leafIndex(), len);
            w.write(n.cid(), buf, 0, len);
            return;
        }
        if (!leavesFirst) {
            w.write(n.cid(), n.bytes());
        }
        for (Node k : n.children()) {
            write(k, w, buf, size, leavesFirst);
        }
        if (leavesFirst) {
            w.write(n.cid(), n.bytes());
        }
    }

    static void fill(byte[] buf, long chunk, int len) {
        SplittableRandom r = new SplittableRandom(0x5EED0000L + chunk);
        for (int i = 0; i < len; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < len; j++) {
                buf[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    static void varint(java.io.ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }
}
