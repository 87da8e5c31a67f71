package dev.cartool.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cartool.car.CarFile;
import dev.cartool.car.CarReaderOptions;
import dev.cartool.car.SectionRef;
import dev.cartool.cid.Multihash;
import dev.cartool.testing.Fixtures;
import dev.cartool.testing.Fuzz;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Issue 9's campaign: the store's block index, damaged: opened and searched, or refused. */
class BlockIndexFuzzProperties {
    private static Path dir;
    private static byte[] index;
    private static final List<Multihash> KEYS = new ArrayList<>();

    @BeforeContainer
    static void build() throws IOException {
        dir = Files.createTempDirectory("idx-fuzz");
        Path p = dir.resolve("good.idx");
        try (BlockIndex.Builder entries = new BlockIndex.Builder();
                CarFile f = CarFile.open(Fixtures.testdata("tree.car"), CarReaderOptions.DEFAULTS.trusting())) {
            CarFile.Scan scan = f.scan();
            SectionRef r;
            while ((r = scan.next()) != null && KEYS.size() < 200) {
                entries.add(r.cid().multihash(), r.offset());
                KEYS.add(r.cid().multihash());
            }
            BlockIndex.write(p, entries);
        }
        index = Files.readAllBytes(p);
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 1000)
    void damagedIndexes(@ForAll int kind, @ForAll int where, @ForAll int value) throws IOException {
        byte[] d = Fuzz.mutate(index, kind, where, value);
        Path p = Files.write(dir.resolve("d.idx"), d);
        Fuzz.cleanly("store-index", d, () -> {
            try (BlockIndex i = BlockIndex.open(p)) {
                for (int k = 0; k < KEYS.size(); k += 17) {
                    i.offsetOf(KEYS.get(k));
                }
            }
            try (BlockIndex.Builder none = new BlockIndex.Builder()) {
                BlockIndex.compare(p, none);
            }
        }, IOException.class);
    }
}
