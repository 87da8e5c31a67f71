package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cartool.block.BlockSource;
import dev.cartool.block.MissingBlockException;
import dev.cartool.cid.Cid;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Re-exporting a peer-made DAG in dag-export order gives the peer's bytes exactly. */
class DagExporterTest {
    @ParameterizedTest
    @ValueSource(strings = {"lolcow.car", "lolcow-wrapped.car", "lolcow-cidv0.car", "dagcbor.car"})
    void reExportIsByteIdenticalToTheJsStacksDfsExport(String name) throws IOException {
        Path p = Fixtures.testdata(name);
        byte[] original = Fixtures.read(p);
        try (CarFile f = CarFile.open(p)) {
            // Shuffle the order by indexing first: the exporter must find its own order.
            Map<Cid, SectionRef> index = new HashMap<>();
            CarFile.Scan scan = f.scan();
            SectionRef r;
            while ((r = scan.next()) != null) {
                index.put(r.cid(), r);
            }
            BlockSource source = cid -> index.containsKey(cid) ? f.read(index.get(cid)) : null;
            Cid root = f.header().roots().get(0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long n;
            try (CarWriter w = CarWriter.create(out, List.of(root))) {
                n = DagExporter.export(source, root, w);
            }
            assertEquals(index.size(), n);
            assertArrayEquals(original, out.toByteArray());
            // With identity sections asked for, the dag-cbor graph's inline CID becomes one more.
            ByteArrayOutputStream withId = new ByteArrayOutputStream();
            try (CarWriter w = CarWriter.create(withId, List.of(root))) {
                long m = new DagExporter(source).includeIdentity(true).export(List.of(), root, DagExporter.ALL, w);
                assertEquals(name.equals("dagcbor.car") ? n + 1 : n, m);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dagcbor-missing-leaf.car"})
    void aMissingBlockStopsTheExport(String name) throws IOException {
        Path p = Fixtures.testdata(name);
        try (CarFile f = CarFile.open(p)) {
            Map<Cid, SectionRef> index = new HashMap<>();
            CarFile.Scan scan = f.scan();
            SectionRef r;
            while ((r = scan.next()) != null) {
                index.put(r.cid(), r);
            }
            Cid root = f.header().roots().get(0);
            MissingBlockException e = assertThrows(MissingBlockException.class, () -> DagExporter.export(
                    cid -> index.containsKey(cid) ? f.read(index.get(cid)) : null, root,
                    CarWriter.create(new ByteArrayOutputStream(), List.of(root))));
            assertEquals(Cid.parse(Fixtures.json("fixtures.json").get("files").get(name).get("missing").get(0).asText()),
                    e.cid());
        }
    }
}
