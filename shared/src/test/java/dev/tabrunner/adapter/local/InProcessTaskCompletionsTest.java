package dev.tabrunner.adapter.local;

import dev.tabrunner.testing.Async;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InProcessTaskCompletionsTest {
    @Test
    void waiter_wakesAsSoonAsTheTaskCompletes() throws Exception {
        InProcessTaskCompletions completions = new InProcessTaskCompletions();
        long start = System.nanoTime();
        CompletableFuture<Void> waiter = Async.run(() -> {
            try {
                completions.await("t1", Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(100);
        completions.completed("t1");
        waiter.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void completionWithoutWaiter_leavesNothingBehind_andALateWaiterTimesOutBoundedly() throws Exception {
        InProcessTaskCompletions completions = new InProcessTaskCompletions();
        completions.completed("t2");
        long start = System.nanoTime();
        completions.await("t2", Duration.ofMillis(50));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
}
