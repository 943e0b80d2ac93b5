package dev.tabrunner.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Starts the same write on several threads at once, for tests that two writers of one version never both win. Each
 * contender runs on a thread of its own ({@link Async}), released together by a latch.
 */
public final class Race {
    private Race() {
    }

    /** Runs {@code contender} for 0 to {@code contenders - 1} at once and returns their results in that order. */
    public static <T> List<T> run(int contenders, IntFunction<T> contender) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<T>> runs = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            int n = i;
            runs.add(Async.supply(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return contender.apply(n);
            }));
        }
        start.countDown();
        return runs.stream().map(r -> r.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }
}
