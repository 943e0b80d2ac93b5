package dev.tabrunner.port;

import java.time.Duration;

/**
 * Lets a request that waits for a task wake up as soon as the task ends, instead of only by polling.
 * In one JVM the worker signals directly; across processes nothing signals and waiters fall back to polling.
 */
public interface TaskCompletions {
    /** Called by the worker after the task's final write. */
    void completed(String taskId);

    /** Blocks until {@link #completed} is called for the task or the timeout passes. */
    void await(String taskId, Duration timeout) throws InterruptedException;

    TaskCompletions NONE = new TaskCompletions() {
        @Override
        public void completed(String taskId) {
        }

        @Override
        public void await(String taskId, Duration timeout) throws InterruptedException {
            Thread.sleep(timeout.toMillis());
        }
    };
}
