package dev.cartool.io;

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

    /**
     * Tasks run one at a time in the order given, each on a thread of {@code over} (a lane, whose
     * limit it then counts against).
     */
    public static Lane inOrder(Executor over) {
        return new Lane(over, 1);
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
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> queue =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        /** Drainers running on the shared threads: at most {@link #parallelism}. */
        private final AtomicInteger running = new AtomicInteger();

        Lane(Executor backing, int parallelism) {
            this.backing = backing;
            this.parallelism = parallelism;
        }

        public int parallelism() {
            return parallelism;
        }

        /** Queues a task; a drainer is started only when fewer than the lane's limit run. No lock. */
        @Override
        public void execute(Runnable task) {
            queue.offer(task);
            startDrainer();
        }

        private void startDrainer() {
            while (true) {
                int r = running.get();
                if (r >= parallelism) {
                    return; // a running drainer will take the task
                }
                if (running.compareAndSet(r, r + 1)) {
                    backing.execute(this::drain);
                    return;
                }
            }
        }

        /** Runs a task that returns a value; the future completes when it has run. */
        public <T> Future<T> submit(Callable<T> task) {
            FutureTask<T> f = new FutureTask<>(task);
            execute(f);
            return f;
        }

        /** Drops the tasks not yet started. */
        public void cancel() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                if (r instanceof Future) {
                    ((Future<?>) r).cancel(false);
                }
            }
        }

        private void drain() {
            try {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    task.run(); // futures keep their task's failure; a plain Runnable's propagates
                }
            } finally {
                running.decrementAndGet();
                if (!queue.isEmpty()) {
                    startDrainer(); // a task queued while this drainer was leaving, or after a failure
                }
            }
        }
    }
}
