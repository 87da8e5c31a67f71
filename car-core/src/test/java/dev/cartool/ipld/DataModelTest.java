package dev.cartool.ipld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.cartool.block.Block;
import dev.cartool.car.CarReader;
import dev.cartool.cid.Multicodec;
import dev.cartool.testing.Fixtures;
import org.junit.jupiter.api.Test;

class DataModelTest {
    @Test
    void everyJsMadeDagCborBlockReadsAndWritesBackByteForByte() throws IOException {
        int n = 0;
        for (String car : List.of("dagcbor.car", "dag-vectors.car")) {
            try (CarReader r = CarReader.open(java.nio.file.Files.newInputStream(Fixtures.testdata(car)))) {
                Block b;
                while ((b = r.next()) != null) {
                    if (b.cid().codec() == Multicodec.DAG_CBOR) {
                        assertArrayEquals(b.data(), DataModel.toDagCbor(DataModel.fromDagCbor(b.data())), b.cid().toString());
                        n++;
                    }
                }
            }
        }
        assertEquals(true, n >= 5, n + " blocks");
    }

    @Test
    void integersAtTheEdgesAndFloatsKeepTheirKinds() throws Exception {
        Object v = Map.of("a", Long.MIN_VALUE, "b", Long.MAX_VALUE, "c", 1.0, "d", new java.math.BigInteger("18446744073709551615"));
        byte[] cbor = DataModel.toDagCbor(v);
        Map<?, ?> back = (Map<?, ?>) DataModel.fromDagCbor(cbor);
        assertEquals(Long.MIN_VALUE, back.get("a"));
        assertEquals(Long.MAX_VALUE, back.get("b"));
        assertEquals(1.0, back.get("c"));
        assertEquals(new java.math.BigInteger("18446744073709551615"), back.get("d"));
        assertEquals("{\"a\":-9223372036854775808,\"b\":9223372036854775807,\"c\":1.0,\"d\":18446744073709551615}",
                new String(DataModel.toDagJson(back), java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(DagCbor.DagCborException.class, () -> DataModel.fromDagCbor(new byte[] {(byte) 0xa1, 0x01, 0x02}));
    }

    @Test
    void controlCharactersInDagJsonStringsAreEscapedWithFourHexDigits() {
        assertEquals("\"a\\u0001\\u001f\\n\\\"\u00e9\"",
                new String(DataModel.toDagJson("a\u0001\u001f\n\"\u00e9"), java.nio.charset.StandardCharsets.UTF_8));
    }
}
