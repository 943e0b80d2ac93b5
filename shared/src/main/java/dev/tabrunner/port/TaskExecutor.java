package dev.tabrunner.port;

/** Runs one dispatched task to its end: claim, run, checkpoint, finish. Implemented by the worker. */
public interface TaskExecutor extends AutoCloseable {
    /** Runs the task if it can still be claimed; a task another worker holds is left alone. Never throws. */
    void execute(String taskId);

    @Override
    void close();
}
