package dev.cartool.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;

import org.junit.jupiter.api.Test;

class DataReadsTest {
    /**
     * A chain of runs holds only those in flight, even when no reader ever asks where the run
     * before left off (a reader that does each run on its own, as DataReader's default does).
     */
    @Test
    void aChainHoldsOnlyTheRunsInFlight() {
        DataReads last = null;
        for (int i = 0; i < 10_000; i++) {
            last = new DataReads(4, last);
            assertTrue(last.linked() <= 1, "run " + i + " links to " + last.linked());
            last.done().complete(null);
        }
        assertEquals(0, new DataReads(4, last).linked());
    }

    /** Runs done a few behind the newest: the chain is as long as the runs not done, no longer. */
    @Test
    void runsDoneBehindTheNewestAreLetGo() {
        ArrayDeque<DataReads> inFlight = new ArrayDeque<>();
        DataReads last = null;
        for (int i = 0; i < 10_000; i++) {
            last = new DataReads(4, last);
            inFlight.add(last);
            assertTrue(last.linked() <= 3, "run " + i + " links to " + last.linked());
            if (inFlight.size() > 3) {
                inFlight.poll().done().complete(null);
            }
        }
        while (!inFlight.isEmpty()) {
            inFlight.poll().done().complete(null);
        }
        assertEquals(0, new DataReads(4, last).linked(), "every run is done");
    }
}
