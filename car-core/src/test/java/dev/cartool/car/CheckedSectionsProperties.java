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
            t.add(off);
            truth.add(off);
            last = off;
            assertTrue(t.contains(off), "the section just added is there");
        }
        for (long off : asked) {
            if (t.contains(off)) {
                assertTrue(truth.contains(off), "offset " + off + " taken as checked, never added");
            }
        }
        if (last != null) {
            assertTrue(t.contains(last));
        }
        assertFalse(t.contains(-1), "an empty slot is no section, whatever is asked");
    }

    @Property
    void sequentialBlocksAreKeptWhileTheyFit(@ForAll @LongRange(min = 1 << 20, max = 1L << 33) long fileSize) {
        CheckedSections t = new CheckedSections(fileSize);
        int n = t.capacity();
        assertTrue(n >= CheckedSections.MIN_SLOTS && n <= CheckedSections.MAX_SLOTS && Integer.bitCount(n) == 1);
        // Sections one after another (256 KiB leaves, then 3 KiB files), a quarter of the slots:
        // in buckets of two, nearly all are kept.
        for (long stride : new long[] {262_158, 3_100}) {
            CheckedSections fresh = new CheckedSections(fileSize);
            int count = n / 4;
            for (int i = 0; i < count; i++) {
                fresh.add(100 + stride * i);
            }
            int kept = 0;
            for (int i = 0; i < count; i++) {
                kept += fresh.contains(100 + stride * i) ? 1 : 0;
            }
            assertTrue(kept >= count * 9 / 10, kept + " of " + count + " kept in " + n + " slots, stride " + stride);
            assertFalse(fresh.contains(99));
        }
    }
}
