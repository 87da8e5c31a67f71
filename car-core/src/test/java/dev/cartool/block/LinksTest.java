package dev.cartool.block;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartool.cid.Multicodec;
import org.junit.jupiter.api.Test;

class LinksTest {
    @Test
    void onlyCodecsWhoseLinksAreFoundCanLink() {
        assertTrue(Links.canLink(Multicodec.DAG_PB));
        assertTrue(Links.canLink(Multicodec.DAG_CBOR));
        assertFalse(Links.canLink(Multicodec.RAW), "raw blocks have no links");
        assertTrue(Links.understands(Multicodec.RAW));
        assertFalse(Links.canLink(Multicodec.DAG_JSON), "links this toolkit does not read");
        assertFalse(Links.understands(Multicodec.DAG_JSON));
    }
}
