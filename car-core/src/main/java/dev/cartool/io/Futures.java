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
     * For a thread taking the results of a window of tasks in order: when {@code next} is not yet
     * done, waits until the task half of {@code later} further on is done (whatever its outcome,
     * which is reported in its turn), by when those before it almost always are. Waiting for each
     * result in turn put the taking thread to sleep and woke it once a task, each wake preempting
     * a worker: the main thread of a 1 GiB verify slept 2,825 times, 310 so (cid: 2,931, 347).
     *
     * @param futureOf a later element's future, or null for one already done
     */
    public static <T> void awaitHalfway(Future<?> next, java.util.Collection<T> later,
            java.util.function.Function<? super T, ? extends Future<?>> futureOf) {
        if (next == null || next.isDone()) {
            return;
        }
        int at = later.size() / 2;
        for (T o : later) {
            if (at-- == 0) {
                Future<?> f = futureOf.apply(o);
                if (f != null) {
                    awaitDone(f);
                }
                return;
            }
        }
    }

    private static void awaitDone(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            // reported when its turn comes
        }
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
            throw rethrow(c);
        }
    }

    /**
     * Throws {@code t} as it was when it is an {@link IOException}, a {@link RuntimeException} or
     * an {@link Error}; anything else (never thrown by the library's tasks) is returned wrapped,
     * for the caller to throw.
     */
    public static IllegalStateException rethrow(Throwable t) throws IOException {
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException(t);
    }
}
