package dev.cartool.sif;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cartool.io.Preads;
import dev.cartool.io.Text;

/**
 * The global header and descriptors of a SIF (Singularity Image Format) file, checked against
 * the file's length. All fields are little-endian. A header that does not add up is reported in
 * {@link #problems()}, not thrown: the caller decides whether that matters.
 */
public record SifInfo(String version, String arch, long created, long modified, long descriptorsFree,
        long descriptorsTotal, long descriptorsOffset, long descriptorsSize, long dataOffset, long dataSize,
        long fileLength, List<Descriptor> descriptors, List<String> problems) {

    public static final int HEADER_LENGTH = 128;
    public static final int DESCRIPTOR_LENGTH = 585;
    /** More descriptors than this is not a real image: refuse to allocate for them. */
    public static final int MAX_DESCRIPTORS = 65536;
    private static final byte[] MAGIC = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);

    public static final int DATA_PARTITION = 0x4004;
    public static final int DATA_SIGNATURE = 0x4005;

    private static final Map<Integer, String> DATATYPES = Map.ofEntries(
            Map.entry(0x4001, "Def.FILE"), Map.entry(0x4002, "Env.Vars"), Map.entry(0x4003, "JSON.Labels"),
            Map.entry(0x4004, "FS"), Map.entry(0x4005, "Signature"), Map.entry(0x4006, "JSON.Generic"),
            Map.entry(0x4007, "Generic/Raw"), Map.entry(0x4008, "Cryptographic Message"), Map.entry(0x4009, "SBOM"),
            Map.entry(0x400A, "OCI.RootIndex"), Map.entry(0x400B, "OCI.Blob"));
    private static final Map<Integer, String> FSTYPES = Map.of(1, "Squashfs", 2, "Ext3", 3, "Archive", 4, "Raw",
            5, "Encrypted squashfs");
    private static final Map<Integer, String> PARTTYPES = Map.of(1, "System", 2, "*System", 3, "Data", 4, "Overlay");
    private static final String[] ARCHES = {"unknown", "386", "amd64", "arm", "arm64", "ppc64", "ppc64le", "mips",
        "mipsle", "mips64", "mips64le", "s390x", "riscv64"};

    /**
     * One data object descriptor.
     *
     * @param fstype for a partition, the filesystem (1 squashfs ...); else 0
     * @param parttype for a partition, its role (2 primary system ...); else 0
     */
    public record Descriptor(int datatype, boolean used, long id, long group, long link, long offset, long size,
            long sizeWithPadding, String name, int fstype, int parttype, String arch) {

        /** siftool's name for the data type, e.g. {@code FS (Squashfs/*System/amd64)}. */
        public String typeName() {
            String t = DATATYPES.getOrDefault(datatype, "0x" + Text.hex(datatype, 4));
            if (datatype == DATA_PARTITION) {
                return t + " (" + FSTYPES.getOrDefault(fstype, "fs " + fstype) + "/"
                        + PARTTYPES.getOrDefault(parttype, "part " + parttype) + "/" + arch + ")";
            }
            return t;
        }
    }

    /** Whether the first bytes of a file carry the SIF magic at offset 32. */
    public static boolean isSif(byte[] head) {
        if (head.length < 32 + MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[32 + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Random access to some bytes: a file, or a file inside a CAR. */
    @FunctionalInterface
    public interface Ranged {
        /** Exactly {@code len} bytes from {@code pos}. */
        byte[] read(long pos, int len) throws IOException;
    }

    /** Reads and checks the header and descriptors of the SIF in {@code ch}. */
    public static SifInfo read(FileChannel ch) throws IOException {
        return read((pos, len) -> readAt(ch, pos, len).array(), ch.size());
    }

    /** Reads and checks the header and descriptors of a SIF of {@code length} bytes. */
    public static SifInfo read(Ranged in, long length) throws IOException {
        List<String> problems = new ArrayList<>();
        if (length < HEADER_LENGTH) {
            throw new IOException("not a SIF file (shorter than its 128-byte header)");
        }
        ByteBuffer h = le(in.read(0, HEADER_LENGTH));
        if (!isSif(h.array())) {
            throw new IOException("not a SIF file (no SIF_MAGIC at offset 32)");
        }
        String version = cstring(h.array(), 42, 3);
        String arch = archName(cstring(h.array(), 45, 3));
        long created = h.getLong(64);
        long modified = h.getLong(72);
        long free = h.getLong(80);
        long total = h.getLong(88);
        long dOffset = h.getLong(96);
        long dSize = h.getLong(104);
        long dataOffset = h.getLong(112);
        long dataSize = h.getLong(120);
        if (!"01".equals(version)) {
            problems.add("version '" + version + "' (expected 01)");
        }
        if (total < 0 || total > MAX_DESCRIPTORS) {
            problems.add("descriptor count " + total + " is not plausible");
        }
        if (free < 0 || free > total) {
            problems.add("free descriptors " + free + " exceed the total " + total);
        }
        if (dOffset < HEADER_LENGTH || dSize < 0 || dOffset + dSize > length) {
            problems.add("descriptor area " + dOffset + "+" + dSize + " lies outside the file of " + length + " bytes");
        }
        if (total >= 0 && total <= MAX_DESCRIPTORS && dSize < total * DESCRIPTOR_LENGTH) {
            problems.add("descriptor area of " + dSize + " bytes cannot hold " + total + " descriptors");
        }
        if (dataOffset < 0 || dataSize < 0 || dataOffset + dataSize > length) {
            problems.add("data area " + dataOffset + "+" + dataSize + " lies outside the file of " + length + " bytes");
        }
        List<Descriptor> descriptors = new ArrayList<>();
        if (problems.isEmpty()) {
            ByteBuffer d = le(in.read(dOffset, (int) (total * DESCRIPTOR_LENGTH)));
            for (int i = 0; i < total; i++) {
                int base = i * DESCRIPTOR_LENGTH;
                boolean used = d.get(base + 4) != 0;
                if (!used) {
                    continue;
                }
                int datatype = d.getInt(base);
                long offset = d.getLong(base + 17);
                long size = d.getLong(base + 25);
                int fstype = 0;
                int parttype = 0;
                String parch = "";
                if (datatype == DATA_PARTITION) {
                    fstype = d.getInt(base + 201);
                    parttype = d.getInt(base + 205);
                    parch = archName(cstring(d.array(), base + 209, 3));
                }
                Descriptor desc = new Descriptor(datatype, true, d.getInt(base + 5) & 0xFFFFFFFFL,
                        d.getInt(base + 9) & 0xFFFFFFFFL, d.getInt(base + 13) & 0xFFFFFFFFL, offset, size,
                        d.getLong(base + 33), cstring(d.array(), base + 73, 128), fstype, parttype, parch);
                if (offset < 0 || size < 0 || offset + size > length) {
                    problems.add("descriptor " + desc.id() + " (" + desc.typeName() + ") at " + offset + "+" + size
                            + " lies outside the file of " + length + " bytes");
                }
                descriptors.add(desc);
            }
            if (descriptors.size() != total - free) {
                problems.add(descriptors.size() + " descriptors in use, header says " + (total - free));
            }
        }
        return new SifInfo(version, arch, created, modified, free, total, dOffset, dSize, dataOffset, dataSize,
                length, List.copyOf(descriptors), List.copyOf(problems));
    }

    /** Whether a signature object is present. */
    public boolean signed() {
        return descriptors.stream().anyMatch(d -> d.datatype() == DATA_SIGNATURE);
    }

    /** One line: version, arch, partitions with filesystem types, signature, size. */
    public String summary() {
        StringBuilder parts = new StringBuilder();
        int n = 0;
        for (Descriptor d : descriptors) {
            if (d.datatype() == DATA_PARTITION) {
                parts.append(n++ == 0 ? "" : ", ").append(FSTYPES.getOrDefault(d.fstype(), "fs " + d.fstype()).toLowerCase(Locale.ROOT))
                        .append(' ').append(PARTTYPES.getOrDefault(d.parttype(), "part " + d.parttype())
                                .replace("*System", "primary system").toLowerCase(Locale.ROOT));
            }
        }
        return "SIF v" + version + ", " + arch + ", " + n + " partition" + (n == 1 ? "" : "s")
                + (n == 0 ? "" : " (" + parts + ")") + ", " + (signed() ? "signed" : "no signature") + ", "
                + Text.n(fileLength) + " bytes";
    }

    /** The table {@code siftool list} prints. */
    public List<String> listing() {
        List<String> out = new ArrayList<>();
        String rule = "-".repeat(78);
        out.add(rule);
        out.add(row("ID", "GROUP", "LINK", "SIF POSITION (start-end)", "TYPE"));
        out.add(rule);
        for (Descriptor d : descriptors) {
            long group = d.group() & ~0xf0000000L;
            long link = d.link() & ~0xf0000000L;
            out.add(row(String.valueOf(d.id()), group == 0 ? "NONE" : String.valueOf(group),
                    link == 0 ? "NONE" : String.valueOf(link), d.offset() + "-" + (d.offset() + d.size()), d.typeName()));
        }
        return out;
    }

    /** A row of the listing: columns 5, 8, 8 and 26 wide, then the type. */
    private static String row(String id, String group, String link, String position, String type) {
        return Text.padRight(id, 5) + "|" + Text.padRight(group, 8) + "|" + Text.padRight(link, 8) + "|"
                + Text.padRight(position, 26) + "|" + type;
    }

    private static String archName(String code) {
        try {
            int i = Integer.parseInt(code);
            return i >= 0 && i < ARCHES.length ? ARCHES[i] : "arch " + code;
        } catch (NumberFormatException e) {
            return "arch '" + code + "'";
        }
    }

    private static String cstring(byte[] b, int off, int max) {
        int end = off;
        while (end < off + max && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        if (!Preads.readFully(ch, b, pos)) {
            throw new IOException("file ends inside a read of " + len + " bytes at " + pos);
        }
        return b;
    }
}
