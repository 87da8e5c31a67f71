package dev.cartool.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work done by the library's thread pools, with its I/O errors unwrapped. */
public final class Futures {
    private Futures() {
    }

    /**
     * The future's value; an {@link IOException} (also one wrapped as {@link UncheckedIOException}
     * or {@link CompletionException}) or a {@link RuntimeException} thrown by the task is
     * rethrown as it was.
     */
    public static <T> T await(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while ((c instanceof CompletionException || c instanceof UncheckedIOException) && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        }
    }
}
