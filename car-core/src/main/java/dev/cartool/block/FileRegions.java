package dev.cartool.block;

import java.io.IOException;
import java.nio.channels.FileChannel;

import dev.cartool.cid.Cid;

/**
 * A block source that can say where a block's data lies in a file once that data has been
 * checked against its CID, so a server sends it from there (sendfile) without reading it into
 * memory and without hashing it again.
 */
public interface FileRegions {
    /**
     * Where the data of the block for {@code cid} lies, if this source holds it and has checked
     * those bytes before (or trusts its input); null otherwise: read it the usual, verifying way.
     */
    Region checkedRegion(Cid cid) throws IOException;

    /**
     * How many bytes of data the block for {@code cid} has, as its file records them (read from
     * the section head, not checked: a hint of the work reading it takes), or -1 if this source
     * does not hold it.
     */
    long dataLength(Cid cid) throws IOException;

    /** {@code length} bytes of {@code file} from {@code position}. The channel stays the source's. */
    record Region(FileChannel file, long position, int length) {
    }
}
