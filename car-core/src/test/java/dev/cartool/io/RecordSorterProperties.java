package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RecordSorterProperties {
    /** Whatever the budget (one record, a few, all), the output is the records sorted, none lost. */
    @Property(tries = 150)
    void sortsLikeArraysSortAcrossSpilledRuns(@ForAll @Size(max = 400) List<@Size(min = 5, max = 5) byte[]> records,
            @ForAll @IntRange(min = 1, max = 64) int budgetRecords) throws IOException {
        Path dir = Files.createTempDirectory("sorter");
        List<byte[]> got = new ArrayList<>();
        try (RecordSorter s = new RecordSorter(5, 5L * budgetRecords, dir)) {
            for (byte[] r : records) {
                s.add(r, 0);
            }
            assertEquals(records.size(), s.count());
            RecordSorter.Cursor c = s.sorted();
            byte[] r = new byte[5];
            while (c.next(r)) {
                got.add(r.clone());
            }
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "runs are deleted on close");
        }
        Files.delete(dir);
        List<byte[]> want = new ArrayList<>(records);
        want.sort(Arrays::compareUnsigned);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i));
        }
    }

    /**
     * Records of any width drawn from three byte values, so many share their first eight bytes
     * (the part sorted as a number) and must be ordered by the rest; equal records keep no order
     * of their own to lose, and every one comes out.
     */
    @Property(tries = 200)
    void recordsSharingTheirFirstBytesSortByTheRest(@ForAll @IntRange(min = 1, max = 40) int width,
            @ForAll @IntRange(min = 0, max = 3000) int count, @ForAll @IntRange(min = 1, max = 4000) int budgetRecords,
            @ForAll long seed) throws IOException {
        sortsAsArraysDo(width, count, budgetRecords, seed);
    }

    /** Runs of several of the chunks a run is written and read in (64 KiB): 40-byte records, 120 KB runs. */
    @net.jqwik.api.Example
    void runsLargerThanAChunk() throws IOException {
        sortsAsArraysDo(40, 10_000, 3_000, 42);
    }

    private static void sortsAsArraysDo(int width, int count, int budgetRecords, long seed) throws IOException {
        java.util.Random rnd = new java.util.Random(seed);
        byte[] alphabet = {0, 1, (byte) 0xff};
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] r = new byte[width];
            for (int j = 0; j < width; j++) {
                r[j] = alphabet[rnd.nextInt(j < 6 ? 2 : 3)];
            }
            records.add(r);
        }
        Path dir = Files.createTempDirectory("sorter");
        List<byte[]> got = new ArrayList<>();
        try (RecordSorter s = new RecordSorter(width, (long) width * budgetRecords, dir)) {
            for (byte[] r : records) {
                s.add(r, 0);
            }
            RecordSorter.Cursor c = s.sorted();
            byte[] r = new byte[width];
            while (c.next(r)) {
                got.add(r.clone());
            }
        }
        Files.delete(dir);
        records.sort(Arrays::compareUnsigned);
        assertEquals(records.size(), got.size());
        for (int i = 0; i < records.size(); i++) {
            assertArrayEquals(records.get(i), got.get(i), "record " + i + " of " + records.size());
        }
    }
}
