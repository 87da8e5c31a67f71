package dev.cartool.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A channel that can take bytes straight from a file: the kernel copies them (sendfile to a
 * socket), none pass through the heap. A gateway's response body is one.
 */
public interface FileRegionSink extends WritableByteChannel {
    /** Writes all {@code count} bytes of {@code file} from {@code position}, after anything written before. */
    void writeFrom(FileChannel file, long position, long count) throws IOException;
}
