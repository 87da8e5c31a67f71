package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early flushes start at their interval, one at a time, and never fail the writer. */
class EarlyFlushTest {
    @TempDir
    Path tmp;

    @Test
    void aFlushStartsOnlyOnceTheIntervalIsWritten() throws Exception {
        try (FileChannel ch = FileChannel.open(tmp.resolve("f"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            EarlyFlush flush = new EarlyFlush(ch);
            flush.wrote(EarlyFlush.EVERY - 1);
            assertEquals(0, flush.started(), "no flush before the interval");
            flush.wrote(1);
            assertEquals(1, flush.started());
            flush.await();
            flush.wrote(EarlyFlush.EVERY / 2);
            assertEquals(1, flush.started(), "the count starts again after a flush");
            flush.wrote(EarlyFlush.EVERY / 2);
            assertEquals(2, flush.started());
            flush.await();
        }
    }

    @Test
    void aFlushOfAClosedChannelIsNotTheWritersFailure() throws Exception {
        FileChannel ch = FileChannel.open(tmp.resolve("g"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        EarlyFlush flush = new EarlyFlush(ch);
        ch.close();
        flush.wrote(EarlyFlush.EVERY);
        assertEquals(1, flush.started());
        flush.await(); // the force failed on its thread; nothing is thrown here
        assertFalse(ch.isOpen());
    }
}
