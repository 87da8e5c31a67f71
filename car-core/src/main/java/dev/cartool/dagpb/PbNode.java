package dev.cartool.dagpb;

import java.util.Arrays;
import java.util.List;

/**
 * A DAG-PB node: links, then optional data. Immutable; the data array is copied in and out.
 */
public final class PbNode {
    private final List<PbLink> links;
    private final byte[] data;

    /**
     * @param data the Data field, or null when absent (distinct from present and empty)
     */
    public PbNode(List<PbLink> links, byte[] data) {
        this.links = List.copyOf(links);
        this.data = data == null ? null : data.clone();
    }

    public List<PbLink> links() {
        return links;
    }

    /** The Data field, or null when absent. */
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    public boolean hasData() {
        return data != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PbNode && ((PbNode) o).links.equals(links) && Arrays.equals(((PbNode) o).data, data);
    }

    @Override
    public int hashCode() {
        return 31 * links.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PbNode[" + links.size() + " links, " + (data == null ? "no data" : data.length + " data bytes") + "]";
    }
}
