package dev.tabrunner.service;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Finds work nobody is doing and dispatches it again: running tasks whose worker stopped renewing its lease (it
 * died, or its Lambda was cut off) and tasks that have waited to start for longer than a dispatch should take (a
 * dispatch lost with a crashed process). The worker then resumes an abandoned task from its checkpoint, or fails
 * it when its attempts are spent, so that no task stays running forever. Run it periodically: a thread locally, a
 * scheduled function on AWS.
 */
public final class TaskRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRecovery.class);
    private static final int BATCH = 100;

    private final TaskStore tasks;
    private final TaskDispatcher dispatcher;
    private final Clock clock;
    private final Duration waitingTooLong;

    /** @param waitingTooLong how long a created task may wait before it is dispatched again */
    public TaskRecovery(TaskStore tasks, TaskDispatcher dispatcher, Clock clock, Duration waitingTooLong) {
        this.tasks = tasks;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.waitingTooLong = waitingTooLong;
    }

    /**
     * One pass over every running and waiting task, page by page; returns how many tasks were dispatched again. A
     * task is dispatched at most once per period ({@code waitingTooLong}) whatever the number of sweeps, so that
     * sweeps do not pile up invocations while workers are throttled.
     */
    public int sweep() {
        Instant now = clock.instant();
        int dispatched = 0;
        String cursor = null;
        do {
            Page<TaskRecord> page = tasks.listByStatus(TaskStatus.RUNNING, BATCH, cursor);
            for (TaskRecord t : page.items()) {
                if (t.leaseExpiresAt() != null && now.isAfter(t.leaseExpiresAt())
                        && tasks.markRedispatched(t.id(), now, now.minus(waitingTooLong))) {
                    LOG.info("task {} was abandoned by {} (lease expired {}); dispatching it again", t.id(),
                            t.leaseOwner(), t.leaseExpiresAt());
                    dispatcher.dispatch(t);
                    dispatched++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        do {
            Page<TaskRecord> page = tasks.listByStatus(TaskStatus.CREATED, BATCH, cursor);
            for (TaskRecord t : page.items()) {
                Instant since = t.leaseExpiresAt() != null ? t.leaseExpiresAt() : t.createdAt();
                if (now.isAfter(since.plus(waitingTooLong))
                        && tasks.markRedispatched(t.id(), now, now.minus(waitingTooLong))) {
                    dispatcher.dispatch(t);
                    dispatched++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return dispatched;
    }
}
