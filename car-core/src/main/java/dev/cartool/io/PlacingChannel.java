package dev.cartool.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A channel written in order that can also hand out the place where bytes further on will land,
 * so that a reader fetching ahead reads them there, in place, instead of into a buffer of its own
 * to be copied over. {@link #write} and {@link #filled} advance the same position.
 */
public interface PlacingChannel extends WritableByteChannel {
    /** Bytes written (or filled) so far. */
    long position();

    /**
     * Where the {@code length} bytes at {@code position} (at or after {@link #position()}) will
     * land, to be read into in place: a buffer of exactly {@code length} bytes, or null when they
     * cannot be placed (too far ahead, or across two of the channel's blocks). Nothing is written
     * until {@link #filled} reaches them.
     */
    ByteBuffer placeAt(long position, int length) throws IOException;

    /** The next {@code length} bytes were read into the buffer {@link #placeAt} gave: counts them as written. */
    void filled(int length) throws IOException;
}
