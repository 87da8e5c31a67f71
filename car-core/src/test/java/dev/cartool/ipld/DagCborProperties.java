package dev.cartool.ipld;

import java.util.ArrayList;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Any bytes: the strict checker accepts or throws its own exception, nothing else. */
class DagCborProperties {
    @Property(tries = 5000)
    void anyBytesPassOrFailWithItsOwnException(@ForAll @Size(max = 300) byte[] bytes) {
        try {
            DagCbor.check(bytes, 0, bytes.length, new ArrayList<>());
        } catch (DagCbor.DagCborException expected) {
            // the only way to fail
        }
    }
}
