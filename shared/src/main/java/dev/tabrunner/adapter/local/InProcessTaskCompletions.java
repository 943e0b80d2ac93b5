package dev.tabrunner.adapter.local;

import dev.tabrunner.port.TaskCompletions;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Completion signals within one JVM: the API waiter and the in-process worker share one instance. */
public final class InProcessTaskCompletions implements TaskCompletions {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();

    /**
     * Wakes whoever waits for the task. Nobody waiting leaves nothing behind (a late waiter finds the task ended
     * when it re-reads the store after its bounded wait), so the map never grows with finished tasks.
     */
    @Override
    public void completed(String taskId) {
        CompletableFuture<Void> waiting = futures.remove(taskId);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    @Override
    public void await(String taskId, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> f = futures.computeIfAbsent(taskId, k -> new CompletableFuture<>());
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the caller re-reads the task and decides; a timeout is an expected outcome here
        } finally {
            futures.remove(taskId, f);
        }
    }
}
