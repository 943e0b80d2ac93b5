package dev.tabrunner.adapter.apigateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands the newest value to a consumer on the executor's thread, one value at a time: values offered while one is
 * being handled replace each other, so a slow consumer (a viewer on a slow network) skips stale frames instead of
 * queueing them, and {@link #offer} never waits.
 */
final class LatestOnly<T> {
    private static final Logger LOG = LoggerFactory.getLogger(LatestOnly.class);

    private final Executor executor;
    private final Consumer<T> consumer;
    private final AtomicReference<T> next = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean();

    LatestOnly(Executor executor, Consumer<T> consumer) {
        this.executor = executor;
        this.consumer = consumer;
    }

    void offer(T value) {
        next.set(value);
        start();
    }

    /** True when nothing is being handled and nothing waits. */
    boolean idle() {
        return !running.get() && next.get() == null;
    }

    private void start() {
        if (running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (T value = next.getAndSet(null); value != null; value = next.getAndSet(null)) {
                try {
                    consumer.accept(value);
                } catch (RuntimeException e) {
                    LOG.debug("live view delivery failed: {}", e.toString());
                }
            }
        } finally {
            running.set(false);
        }
        // offered after the last getAndSet but before running was cleared: nobody else started a drain for it
        if (next.get() != null) {
            start();
        }
    }
}
