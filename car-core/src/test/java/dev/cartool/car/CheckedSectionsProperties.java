package dev.cartool.car;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The table of checked sections may forget; it never says a section was checked when it was not. */
class CheckedSectionsProperties {
    @Property
    void neverRemembersWhatWasNotAdded(@ForAll @Size(max = 20_000) List<@LongRange(min = 0, max = 1L << 40) Long> added,
            @ForAll @Size(max = 2_000) List<@LongRange(min = 1, max = 1L << 40) Long> asked,
            @ForAll @LongRange(min = 0, max = 1L << 36) long fileSize) {
        CheckedSections t = new CheckedSections(fileSize);
        Set<Long> truth = new HashSet<>();
        Long last = null;
        for (long off : added) {
            t.add(off, length(off));
            truth.add(off);
            last = off;
            assertTrue(t.contains(off, length(off)), "the section just added is there");
        }
        for (long off : asked) {
            if (t.contains(off, length(off))) {
                assertTrue(truth.contains(off), "offset " + off + " taken as checked, never added");
            }
        }
        if (last != null) {
            assertTrue(t.contains(last, length(last)));
        }
        assertFalse(t.contains(-1, 1024), "an empty slot is no section, whatever is asked");
        assertFalse(t.contains(-1, 1 << 20), "an empty slot is no section, whatever is asked");
    }

    /** A section's data length, from its offset: from 1 KiB (the least recorded) to over 2 MiB. */
    private static long length(long offset) {
        return 1024 + Math.floorMod(offset * 31, 2_100_000L);
    }

    @Property
    void sequentialBlocksAreKeptWhileTheyFit(@ForAll @LongRange(min = 1 << 20, max = 1L << 33) long fileSize) {
        CheckedSections t = new CheckedSections(fileSize);
        int n = t.capacity();
        assertTrue(n >= CheckedSections.MIN_SLOTS && n <= CheckedSections.MAX_SLOTS && Integer.bitCount(n) == 1);
        // Sections one after another (256 KiB leaves, then 3 KiB files), as many as the file
        // holds up to a quarter of the slots: in buckets of two, nearly all are kept.
        for (long stride : new long[] {262_158, 3_100}) {
            CheckedSections fresh = new CheckedSections(fileSize);
            int count = (int) Math.min(n / 4, (fileSize - 100) / stride);
            for (int i = 0; i < count; i++) {
                fresh.add(100 + stride * i, stride - 39);
            }
            int kept = 0;
            for (int i = 0; i < count; i++) {
                kept += fresh.contains(100 + stride * i, stride - 39) ? 1 : 0;
            }
            assertTrue(kept >= count * 9 / 10, kept + " of " + count + " kept in " + n + " slots, stride " + stride);
            assertFalse(fresh.contains(99, stride - 39));
        }
    }

    @Property
    void everyLeafOfAnImageIsKept(@ForAll @LongRange(min = 1, max = 32) long mib) {
        // An image as Kubo lays it out (balanced, 174 links a node, DFS order): a node of 8,710
        // bytes, then its leaves of 262,144 bytes, each with a 36-byte CID and a 3-byte varint;
        // from 256 MiB to 8 GiB. Recorded in file order, as a first download does: every leaf
        // is there after. (By a hash of the offset, a 1 GiB image lost 4.)
        long leaves = mib * 128;
        long size = leaves * (262_144 + 39) + (leaves / 174 + 2) * 8_713 + 1_400;
        CheckedSections t = new CheckedSections(size);
        java.util.List<Long> at = new java.util.ArrayList<>();
        long pos = 59 + 1_262; // the header, the root node
        t.add(59, 1_259);
        for (long i = 0; i < leaves; i++) {
            if (i % 174 == 0) {
                t.add(pos, 8_710);
                pos += 8_713;
            }
            t.add(pos, 262_144);
            at.add(pos);
            pos += 262_183;
        }
        for (long leaf : at) {
            assertTrue(t.contains(leaf, 262_144), "the leaf at " + leaf + " of " + leaves + " was forgotten");
        }
    }
}
