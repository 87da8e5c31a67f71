package dev.cartool.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A wait that never ends fails the test (10 s), not the build. */
@Timeout(10)
class FuturesTest {
    private static final Function<CompletableFuture<String>, CompletableFuture<String>> SELF = f -> f;

    @Test
    void waitsForTheTaskHalfTheWindowOnAndNoFurther() throws Exception {
        CompletableFuture<String> next = new CompletableFuture<>();
        List<CompletableFuture<String>> later = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>(), new CompletableFuture<>());
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> Futures.awaitHalfway(next, later, SELF));
        // Neither the next task, nor those before the halfway one, nor the last end the wait.
        later.get(0).complete("a");
        later.get(1).complete("b");
        later.get(3).complete("d");
        Thread.sleep(50);
        assertFalse(waiting.isDone(), "returned before the task half the window on was done");
        later.get(2).complete("c");
        waiting.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailedTaskOnTheWayIsLeftForItsTurn() throws Exception {
        CompletableFuture<String> next = new CompletableFuture<>();
        CompletableFuture<String> bad = CompletableFuture.failedFuture(new IOException("damaged"));
        Futures.awaitHalfway(next, new ArrayDeque<>(List.of(new CompletableFuture<>(), bad)), SELF);
        IOException e = assertThrows(IOException.class, () -> Futures.await(bad));
        assertEquals("damaged", e.getMessage());
        assertFalse(next.isDone());
    }

    @Test
    void doesNotWaitWhenTheNextIsDoneOrNothingFollows() {
        CompletableFuture<String> never = new CompletableFuture<>();
        Futures.awaitHalfway(CompletableFuture.completedFuture("x"), List.of(never, never), SELF);
        Futures.awaitHalfway(new CompletableFuture<String>(), List.<CompletableFuture<String>>of(), SELF);
        Futures.awaitHalfway(new CompletableFuture<String>(), List.of(never), f -> null); // done already
        assertFalse(never.isDone());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean stillSet = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();
            Futures.awaitHalfway(new CompletableFuture<String>(), List.of(never), SELF);
            stillSet.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        t.join(5_000);
        assertFalse(t.isAlive(), "still waiting after an interrupt");
        assertTrue(stillSet.get(), "the interrupt was swallowed");
    }
}
