package dev.cartool.car;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.cartool.block.Block;
import dev.cartool.cid.Cid;

/**
 * Counts over a CAR's blocks, as go-car's {@code car inspect} reports them: block and CID
 * length ranges, blocks per codec, CIDs per multihash function, and whether the roots are
 * present.
 */
public final class CarStats {
    private final List<Cid> roots;
    private final Set<Cid> rootsSeen = new HashSet<>();
    private long blockCount;
    private long minBlock = Long.MAX_VALUE;
    private long maxBlock;
    private long sumBlock;
    private long minCid = Long.MAX_VALUE;
    private long maxCid;
    private long sumCid;
    private final Map<Long, Long> codecs = new TreeMap<>(Long::compareUnsigned);
    private final Map<Long, Long> hashes = new TreeMap<>(Long::compareUnsigned);

    public CarStats(List<Cid> roots) {
        this.roots = List.copyOf(roots);
    }

    public void add(Block b) {
        add(b.cid(), b.length());
    }

    public void add(Cid cid, long length) {
        blockCount++;
        minBlock = Math.min(minBlock, length);
        maxBlock = Math.max(maxBlock, length);
        sumBlock += length;
        long cl = cid.encodedLength();
        minCid = Math.min(minCid, cl);
        maxCid = Math.max(maxCid, cl);
        sumCid += cl;
        codecs.merge(cid.codec(), 1L, Long::sum);
        hashes.merge(cid.multihash().code(), 1L, Long::sum);
        if (roots.contains(cid)) {
            rootsSeen.add(cid);
        }
    }

    public List<Cid> roots() {
        return roots;
    }

    /** Whether every root's block was seen (go-car: false when there are no roots). */
    public boolean rootsPresent() {
        return !roots.isEmpty() && rootsSeen.containsAll(roots);
    }

    public long blockCount() {
        return blockCount;
    }

    public long minBlockLength() {
        return blockCount == 0 ? 0 : minBlock;
    }

    /** Integer average, rounded down. */
    public long averageBlockLength() {
        return blockCount == 0 ? 0 : sumBlock / blockCount;
    }

    public long maxBlockLength() {
        return maxBlock;
    }

    public long totalBlockBytes() {
        return sumBlock;
    }

    public long minCidLength() {
        return blockCount == 0 ? 0 : minCid;
    }

    public long averageCidLength() {
        return blockCount == 0 ? 0 : sumCid / blockCount;
    }

    public long maxCidLength() {
        return maxCid;
    }

    /** Blocks per content codec, by code. */
    public Map<Long, Long> codecCounts() {
        return Collections.unmodifiableMap(codecs);
    }

    /** CIDs per multihash function, by code. */
    public Map<Long, Long> hashCounts() {
        return Collections.unmodifiableMap(hashes);
    }
}
