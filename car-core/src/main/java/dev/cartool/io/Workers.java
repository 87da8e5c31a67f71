package dev.cartool.io;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's one pool of worker threads (hashing, positional reads), and lanes over it that
 * each run at most a given number of tasks at once: a verifier, a CAR file source, the importer
 * and the store each take a lane instead of starting threads of their own. Threads are daemons,
 * made as lanes need them and kept a minute when idle.
 */
public final class Workers {
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final ExecutorService SHARED = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "car-worker-" + NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Workers() {
    }

    /** A lane of at most {@code parallelism} tasks at once; null when {@code parallelism <= 0}. */
    public static Lane lane(int parallelism) {
        return parallelism <= 0 ? null : new Lane(SHARED, parallelism);
    }

    /** As many tasks at once as there are processors. */
    public static Lane processors() {
        return lane(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs tasks on a shared executor, at most {@code parallelism} at a time, in the order given.
     * Closing its user does not stop the shared threads: tasks still queued when a lane is
     * {@link #cancel() cancelled} are dropped, running ones finish.
     */
    public static final class Lane implements Executor {
        private final Executor backing;
        private final int parallelism;
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private int running;

        Lane(Executor backing, int parallelism) {
            this.backing = backing;
            this.parallelism = parallelism;
        }

        public int parallelism() {
            return parallelism;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (running >= parallelism) {
                    queue.add(task);
                    return;
                }
                running++;
            }
            backing.execute(() -> drain(task));
        }

        /** Runs a task that returns a value; the future completes when it has run. */
        public <T> Future<T> submit(Callable<T> task) {
            FutureTask<T> f = new FutureTask<>(task);
            execute(f);
            return f;
        }

        /** Drops the tasks not yet started. */
        public synchronized void cancel() {
            for (Runnable r : queue) {
                if (r instanceof Future) {
                    ((Future<?>) r).cancel(false);
                }
            }
            queue.clear();
        }

        private void drain(Runnable first) {
            Runnable task = first;
            while (task != null) {
                boolean finished = false;
                try {
                    task.run(); // futures keep their task's failure; a plain Runnable's propagates
                    finished = true;
                } finally {
                    if (!finished) {
                        synchronized (this) {
                            running--;
                        }
                        resume();
                    }
                }
                synchronized (this) {
                    task = queue.poll();
                    if (task == null) {
                        running--;
                    }
                }
            }
        }

        /** After a task failed on its thread: the queue goes on, on another. */
        private void resume() {
            Runnable next;
            synchronized (this) {
                if (running >= parallelism || queue.isEmpty()) {
                    return;
                }
                next = queue.poll();
                running++;
            }
            backing.execute(() -> drain(next));
        }
    }
}
