package dev.tabrunner.port;

import java.time.Instant;

/** Runs one dispatched task to its end: claim, run, checkpoint, finish. Implemented by the worker. */
public interface TaskExecutor extends AutoCloseable {
    /**
     * Runs the task if it can still be claimed; a task another worker holds is left alone. Never throws.
     *
     * @param yieldBy when not null, the moment by which the executor must have let go of the task: a run that
     *                would go past it writes a checkpoint, releases the task and re-dispatches it, so that the
     *                next invocation continues from there (a Lambda passes its own time limit here)
     */
    void execute(String taskId, Instant yieldBy);

    /** Runs the task with no time limit of the host's own. */
    default void execute(String taskId) {
        execute(taskId, null);
    }

    /**
     * Lets go of what the calling thread keeps for the session between its tasks (a warm browser context): the
     * session ended, or its next task runs on another thread, which restores it from its saved state. Never throws.
     */
    default void forget(String tenantId, String sessionId) {
    }

    /**
     * Called now and then on each idle worker thread: lets go of what the thread keeps for sessions past their
     * inactivity timeout. Never throws.
     */
    default void tidy() {
    }

    @Override
    void close();
}
