package dev.tabrunner.worker;

import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.SessionTurns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Takes a task for this worker with a conditional write: a new one, or one whose worker stopped renewing its lease
 * (which then resumes from its checkpoint, or fails once {@code maxAttempts} leases were lost). Two workers never
 * both win. The claim opens the run's live view and records its URL in the same write ({@link LiveViewHandle}).
 */
final class TaskClaims {
    private static final Logger LOG = LoggerFactory.getLogger(TaskClaims.class);

    private final TaskStore tasks;
    private final LiveView liveView;
    private final SessionTurns turns;
    private final Clock clock;
    private final String workerId;
    private final Duration lease;
    private final int maxAttempts;

    TaskClaims(TaskStore tasks, LiveView liveView, SessionTurns turns, Clock clock, String workerId, Duration lease,
               int maxAttempts) {
        this.tasks = tasks;
        this.liveView = liveView;
        this.turns = turns;
        this.clock = clock;
        this.workerId = workerId;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
    }

    /** The task as this worker now holds it (running, leased); empty when it is not this worker's to run. */
    Optional<TaskRecord> claim(String taskId) {
        TaskRecord task = tasks.findForWorker(taskId).orElse(null);
        if (task == null) {
            LOG.warn("task {} does not exist", taskId);
            return Optional.empty();
        }
        Instant now = clock.instant();
        boolean abandoned = task.status() == TaskStatus.RUNNING && task.leaseExpiresAt() != null
                && now.isAfter(task.leaseExpiresAt());
        if (task.status() != TaskStatus.CREATED && !abandoned) {
            LOG.debug("task {} is {}; not claiming it", taskId, task.status());
            return Optional.empty();
        }
        // attempts counts lost leases only: a claim of a new task, or of one handed on by a worker that yielded or
        // paused, is no attempt spent
        int lost = abandoned ? task.attempts() + 1 : task.attempts();
        try {
            if (abandoned && lost >= maxAttempts) {
                tasks.update(task.toBuilder().status(TaskStatus.FAILED).finishedAt(now).lease(null, null)
                        .attempts(lost).error(TaskError.of(503, "worker_lost", "the worker running this task"
                                + " stopped responding " + lost + " time(s); giving up")).build());
                LOG.warn("task {} failed: its workers were lost {} time(s)", taskId, lost);
                turns.giveBack(task.tenantId(), task.sessionId(), task.id(), s -> s);
                return Optional.empty();
            }
            if (abandoned) {
                LOG.info("resuming task {} abandoned by {} after {} result(s)", taskId, task.leaseOwner(),
                        task.results().size());
            }
            String liveViewUrl = LiveViewHandle.newUrl(taskId);
            TaskRecord running = task.toBuilder().status(TaskStatus.RUNNING)
                    .startedAt(task.startedAt() == null ? now : task.startedAt())
                    .lease(workerId, now.plus(lease)).attempts(lost).liveViewUrl(liveViewUrl).build();
            tasks.update(running);
            // opened by the worker that won the claim only (a loser's open would replace the winner's token); a
            // viewer quicker than this one call finds the link not open yet, and the page says so
            if (!LiveViewHandle.openChannel(liveView, running, now)) {
                TaskRecord without = running.toBuilder().liveViewUrl(null).build();
                tasks.update(without);
                running = without;
            }
            return Optional.of(running);
        } catch (ConflictException e) {
            LOG.debug("task {} was claimed by another worker", taskId);
            return Optional.empty();
        }
    }
}
