package dev.tabrunner.port;

import dev.tabrunner.domain.TaskRecord;

/** Hands a stored task to a worker: an in-process queue locally, an asynchronous Lambda invoke on AWS. */
public interface TaskDispatcher {
    /**
     * Queues the task; returns before it runs. Tasks of one session run one after another in dispatch order.
     *
     * @throws StoreUnavailableException when the task could not be handed over
     */
    void dispatch(TaskRecord task);

    /**
     * The session was terminated: a worker that keeps its browser context warm may close it now rather than at its
     * inactivity timeout. Best effort and without a guarantee: a dispatcher that cannot reach the worker holding it
     * (an asynchronous Lambda invoke) does nothing, and the context goes when it expires or is evicted.
     */
    default void sessionEnded(String tenantId, String sessionId) {
    }
}
