package dev.cartool.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.cartool.car.CarFileSource;
import dev.cartool.testing.Fixtures;
import dev.cartool.unixfs.UnixFsNode;
import dev.cartool.unixfs.UnixFsReader;
import org.junit.jupiter.api.Test;

/** The SIF inside testdata/lolcow.car was made by Debian's siftool and mksquashfs. */
class SifInfoTest {
    private static byte[] lolcow() throws IOException {
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("lolcow.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode f = r.load(src.header().roots().get(0));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.transferTo(f, out, n -> { });
            return out.toByteArray();
        }
    }

    private static SifInfo read(byte[] b) throws IOException {
        return SifInfo.read((pos, len) -> Arrays.copyOfRange(b, (int) pos, (int) pos + len), b.length);
    }

    @Test
    void siftoolsImageReadsAsSiftoolListsIt() throws IOException {
        byte[] sif = lolcow();
        assertTrue(SifInfo.isSif(sif));
        SifInfo info = read(sif);
        assertEquals(java.util.List.of(), info.problems());
        assertEquals("01", info.version());
        assertEquals("amd64", info.arch());
        assertEquals(1, info.descriptors().size());
        SifInfo.Descriptor d = info.descriptors().get(0);
        assertEquals(SifInfo.DATA_PARTITION, d.datatype());
        assertEquals(1, d.fstype());
        assertEquals(2, d.parttype());
        assertEquals("FS (Squashfs/*System/amd64)", d.typeName());
        assertEquals(sif.length, d.offset() + d.size());
        // A squashfs partition starts with its magic.
        assertEquals("hsqs", new String(sif, (int) d.offset(), 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertFalse(info.signed());
        assertTrue(info.summary().startsWith("SIF v01, amd64, 1 partition (squashfs primary system), no signature"));
    }

    @Test
    void anInconsistentHeaderIsReportedNotThrown() throws IOException {
        byte[] sif = lolcow();
        byte[] cut = Arrays.copyOf(sif, sif.length - 4096);
        assertTrue(read(cut).problems().stream().anyMatch(p -> p.contains("outside the file")), read(cut).problems().toString());
        byte[] bad = sif.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(88, 1L << 40); // descriptor count
        SifInfo info = read(bad);
        assertFalse(info.problems().isEmpty());
        assertTrue(info.descriptors().isEmpty(), "no allocation for an implausible count");
        byte[] notSif = sif.clone();
        notSif[33] = 'X';
        assertThrows(IOException.class, () -> read(notSif));
    }
}
