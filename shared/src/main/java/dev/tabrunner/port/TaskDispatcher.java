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
}
