package dev.cartool.sif;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import dev.cartool.car.CarFileSource;
import dev.cartool.testing.Fixtures;
import dev.cartool.testing.Fuzz;
import dev.cartool.unixfs.UnixFsReader;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Issue 9's campaign: the SIF summary over a damaged real image (siftool-made) and any bytes. */
class SifFuzzProperties {
    private static final byte[] SIF = sif();

    private static byte[] sif() {
        try (CarFileSource s = CarFileSource.open(Fixtures.testdata("lolcow.car"))) {
            UnixFsReader r = new UnixFsReader(s);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.transferTo(r.load(s.header().roots().get(0)), out, n -> { });
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void read(byte[] b) throws IOException {
        SifInfo.read((pos, len) -> {
            if (pos < 0 || len < 0 || pos + len > b.length) {
                throw new IOException("read of " + len + " bytes at " + pos + " outside " + b.length);
            }
            return Arrays.copyOfRange(b, (int) pos, (int) pos + len);
        }, b.length).summary();
    }

    @Property(tries = 3000)
    void damagedHeaderOrDescriptors(@ForAll int kind, @ForAll int where, @ForAll int value) {
        // Damage within the header and descriptors (the first 64 KiB), keeping the image's length.
        byte[] head = Arrays.copyOf(SIF, 65536);
        byte[] d = Fuzz.mutate(head, kind % 2, where, value);
        byte[] whole = SIF.clone();
        System.arraycopy(d, 0, whole, 0, Math.min(d.length, whole.length));
        Fuzz.cleanly("sif", d, () -> read(whole), IOException.class);
        byte[] cut = Fuzz.mutate(SIF, 2 + Math.floorMod(kind, 3), where, value);
        Fuzz.cleanly("sif", cut, () -> read(cut), IOException.class);
    }

    @Property(tries = 1000)
    void anyBytes(@ForAll @Size(max = 2000) byte[] b) {
        byte[] withMagic = b.clone();
        if (withMagic.length >= 42) {
            System.arraycopy(SIF, 32, withMagic, 32, 10); // past the magic check, into the parser
        }
        Fuzz.cleanly("sif", withMagic, () -> read(withMagic), IOException.class);
    }
}
