package dev.tabrunner.worker;

import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a running task: about once a second it reads the task, which is how a stop or pause request reaches the
 * run, and renews the worker's lease well before it expires. The run asks it between actions (and inside long
 * waits) whether it may go on: not after a stop or pause request, nor when the host's own deadline is near, nor
 * when the task was taken over. A stop (or the task lost) also cuts short the action under way, whatever it is
 * doing: the watch kills the page's renderer processes, as the script watchdog does, which fails the action at once
 * (the run then ends as stopped); Playwright objects are not touched from this thread.
 */
final class TaskWatch implements TaskControl {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWatch.class);
    /** The longest one action may take (the largest {@code timeoutMs}): a run yields when less than this is left. */
    private static final Duration ACTION_BUDGET = Duration.ofMillis(TaskRequestParser.MAX_TIMEOUT_MS);

    private final TaskWriter writer;
    private final Instant yieldBy;
    private final Clock clock;
    private final Duration lease;
    /** The lease as this watcher last renewed it (renewals leave the task's version, and the writer's copy, alone). */
    private volatile Instant leaseRenewedUntil;
    private final Runnable cutShort;
    private final AtomicBoolean cut = new AtomicBoolean();
    private volatile boolean lost;
    private ScheduledFuture<?> watching;

    /**
     * @param yieldBy  when the host ends this invocation (a Lambda's time limit), or null for never
     * @param cutShort ends the action under way from outside (kills the task's renderers); safe from any thread
     */
    TaskWatch(TaskWriter writer, Instant yieldBy, Clock clock, Duration lease, Runnable cutShort) {
        this.writer = writer;
        this.yieldBy = yieldBy;
        this.clock = clock;
        this.lease = lease;
        this.cutShort = cutShort;
    }

    /** Starts reading the task once a second on the given thread, until {@link #stop()}. */
    void start(ScheduledExecutorService watchers) {
        watching = watchers.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    void stop() {
        if (watching != null) {
            watching.cancel(false);
        }
    }

    private void watch() {
        try {
            TaskRecord seen = writer.refresh(writer.current());
            Instant now = clock.instant();
            Instant until = seen.leaseExpiresAt() == null ? leaseRenewedUntil
                    : leaseRenewedUntil == null || seen.leaseExpiresAt().isAfter(leaseRenewedUntil)
                    ? seen.leaseExpiresAt() : leaseRenewedUntil;
            if (until != null && Duration.between(now, until).compareTo(lease.dividedBy(2)) < 0) {
                // the lease alone, without a new version: the run's next checkpoint still matches
                Instant next = now.plus(lease);
                if (writer.renewLease(next)) {
                    leaseRenewedUntil = next;
                }
            }
            if (seen.control() == TaskRecord.Control.STOP) {
                cutShort();
            }
        } catch (TaskInterrupted e) {
            lost = true;
            cutShort();
        } catch (RuntimeException e) {
            LOG.warn("watching task {} failed: {}", writer.current().id(), e.getMessage());
        }
    }

    private void cutShort() {
        if (cut.compareAndSet(false, true)) {
            LOG.info("task {}: stopped or lost; cutting the action under way short", writer.current().id());
            cutShort.run();
        }
    }

    @Override
    public void betweenActions() {
        duringAction();
        if (writer.current().control() == TaskRecord.Control.PAUSE) {
            throw new TaskInterrupted(TaskInterrupted.Reason.PAUSE, "pause requested");
        }
        if (yieldBy != null && clock.instant().plus(ACTION_BUDGET).isAfter(yieldBy)) {
            throw new TaskInterrupted(TaskInterrupted.Reason.YIELD, "the host's time limit is near");
        }
    }

    @Override
    public void duringAction() {
        if (lost) {
            throw new TaskInterrupted(TaskInterrupted.Reason.LOST, "the task was taken over");
        }
        if (writer.current().control() == TaskRecord.Control.STOP) {
            throw new TaskInterrupted(TaskInterrupted.Reason.STOP, "stop requested");
        }
    }
}
