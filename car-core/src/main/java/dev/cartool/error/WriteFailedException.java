package dev.cartool.error;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * An output could not be written (a full disk, a quota, a file size limit): names the file being
 * written, not the input its bytes came from.
 */
public final class WriteFailedException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public WriteFailedException(String file, IOException cause) {
        super(file, null, "write failed: " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
        initCause(cause);
    }
}
