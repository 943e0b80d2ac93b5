package dev.tabrunner.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs blocking test work (an HTTP call that waits for a task, a process's output drained) on a thread of its own.
 * {@link CompletableFuture#supplyAsync(Supplier)} without an executor uses the common pool, which has a single
 * thread on a 2-core machine under recent JDKs: one blocked call there starves every later one.
 */
public final class Async {
    private static final Executor THREAD_PER_TASK = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("test-async-", 0).factory());

    private Async() {
    }

    public static <T> CompletableFuture<T> supply(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, THREAD_PER_TASK);
    }

    public static CompletableFuture<Void> run(Runnable work) {
        return CompletableFuture.runAsync(work, THREAD_PER_TASK);
    }
}
