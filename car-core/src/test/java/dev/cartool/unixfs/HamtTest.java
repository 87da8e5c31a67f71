package dev.cartool.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.cartool.car.CarFileSource;
import dev.cartool.cid.Cid;
import dev.cartool.dagpb.PbLink;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** HAMT lookup and listing against the JS importer's 2,000-entry shard in tree.car. */
class HamtTest {
    private static final int ENTRIES = 2000;

    @Test
    void everyEntryIsFoundByHashAndListedOnce() throws Exception {
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode dir = r.resolve(src.header().roots().get(0), "tree/sharded");
            assertTrue(dir.isHamt());
            List<DirEntry> listed = r.entries(dir);
            assertEquals(ENTRIES, listed.size());
            assertEquals(ENTRIES, listed.stream().map(DirEntry::name).distinct().count());
            for (DirEntry e : listed) {
                List<Cid> shards = new ArrayList<>();
                assertEquals(e.cid(), r.lookup(dir, e.name(), shards::add), e.name());
                // The file holds its number: the name and the content agree.
                int n = Integer.parseInt(e.name().substring(6, 11));
                assertEquals(n + "\n", new String(r.open(r.load(e.cid())).readNBytes(
                        (int) r.load(e.cid()).fileSize()), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertNull(r.lookup(dir, "entry-02000.txt"));
            assertNull(r.lookup(dir, "no such name"));
        }
    }

    @Test
    void theLayoutIsTheOneTheJsImporterWrote() throws Exception {
        try (CarFileSource src = CarFileSource.open(Fixtures.testdata("tree.car"))) {
            UnixFsReader r = new UnixFsReader(src);
            UnixFsNode dir = r.resolve(src.header().roots().get(0), "tree/sharded");
            Hamt hamt = Hamt.of(dir);
            assertEquals(256, hamt.fanout());
            assertEquals(2, hamt.prefixLength());
            // Every entry sits in the slot its name's hash gives at the depth it was found.
            java.util.BitSet occupied = new java.util.BitSet();
            for (PbLink l : dir.links()) {
                int slot = Integer.parseInt(l.name().substring(0, 2), 16);
                occupied.set(slot);
                if (!hamt.isShardLink(l)) {
                    assertEquals(slot, hamt.slot(Hamt.hash(l.name().substring(2)), 0), l.name());
                } else {
                    for (PbLink inner : r.load(l.hash()).links()) {
                        if (!hamt.isShardLink(inner)) {
                            String name = inner.name().substring(2);
                            assertEquals(slot, hamt.slot(Hamt.hash(name), 0), name);
                            assertEquals(Integer.parseInt(inner.name().substring(0, 2), 16),
                                    hamt.slot(Hamt.hash(name), 1), name);
                        }
                    }
                }
            }
            // The shard's bitfield, as the importer writes it, is the JS importer's.
            assertEquals(java.util.HexFormat.of().formatHex(dir.data().data()),
                    java.util.HexFormat.of().formatHex(hamt.shardData(occupied).data()));
            assertFalse(hamt.hasSlotPrefix("g0name"));
            assertThrows(IllegalArgumentException.class, () -> Hamt.ofFanout(100));
        }
    }
}
