package dev.tabrunner.adapter.local;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs dispatched tasks on a fixed pool of worker threads in this JVM. Tasks of one session are run strictly
 * one after another (they share browser state); tasks of different sessions run in parallel up to the pool size.
 */
public final class InProcessTaskDispatcher implements TaskDispatcher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessTaskDispatcher.class);

    private final TaskExecutor executor;
    private final ExecutorService pool;
    private final Map<String, Queue<String>> pendingBySession = new HashMap<>();

    public InProcessTaskDispatcher(TaskExecutor executor, int threads) {
        this.executor = executor;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tabrunner-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void dispatch(TaskRecord task) {
        String sessionId = task.sessionId();
        synchronized (pendingBySession) {
            Queue<String> queue = pendingBySession.get(sessionId);
            if (queue != null) {
                queue.add(task.id());
                return;
            }
            pendingBySession.put(sessionId, new ArrayDeque<>());
        }
        submit(sessionId, task.id());
    }

    private void submit(String sessionId, String taskId) {
        pool.execute(() -> {
            try {
                executor.execute(taskId);
            } catch (RuntimeException e) {
                LOG.error("worker failed on task {}", taskId, e);
            } finally {
                String next;
                synchronized (pendingBySession) {
                    Queue<String> queue = pendingBySession.get(sessionId);
                    next = queue == null ? null : queue.poll();
                    if (next == null) {
                        pendingBySession.remove(sessionId);
                    }
                }
                if (next != null) {
                    submit(sessionId, next);
                }
            }
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.close();
    }
}
