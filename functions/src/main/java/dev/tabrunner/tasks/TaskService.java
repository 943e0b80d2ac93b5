package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskCompletions;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Tasks of any kind once they exist: accepting scripted ones, waiting (boundedly) for their end, stopping, pausing
 * and resuming them, and reading them and their artifacts back. How a dialect shows a task is the dialect's.
 */
@Singleton
public final class TaskService {
    private static final Duration POLL = Duration.ofMillis(250);
    /** A running task pauses at its worker's next check, within about a second: worth reading more often. */
    private static final Duration STATUS_POLL = Duration.ofMillis(100);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int CONTROL_ATTEMPTS = 10;
    private static final int QUEUE_HORIZON = 100;
    /** Long enough to follow a redirect, short enough that a leaked link soon stops working. */
    static final Duration DOWNLOAD_LINK_TTL = Duration.ofMinutes(5);

    private final SessionService sessions;
    private final TaskStore tasks;
    private final TaskDispatcher dispatcher;
    private final TaskCompletions completions;
    private final BlobStore blobs;
    private final ApiSettings settings;
    private final Clock clock;
    private final SessionTurns turns;
    private final TaskEnds ends;
    private final TaskSubmission submission;
    private final FileService files;

    public TaskService(SessionService sessions, TaskStore tasks, TaskDispatcher dispatcher,
                       TaskCompletions completions, BlobStore blobs, ApiSettings settings, Clock clock,
                       SessionStore sessionStore, TaskEnds ends, TaskSubmission submission, FileService files) {
        this.files = files;
        this.ends = ends;
        this.turns = new SessionTurns(sessionStore, tasks, dispatcher);
        this.sessions = sessions;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
        this.submission = submission;
    }

    /**
     * Validates, stores and dispatches a Run Task body; the returned record is as created. An {@code uploadFile}
     * may name its file by id: it is stored naming the file by its name, which the worker looks up.
     */
    public TaskRecord submit(Caller caller, String sessionId, JsonNode body) {
        Session session = sessions.requireActive(caller, sessionId);
        TaskRequest request = TaskRequestParser.parse(body);
        return submission.submit(caller, session, TaskRecord.KIND_SCRIPTED, files.withFileNames(session, body,
                request), TaskSecrets.none(), null);
    }

    /** Waits up to the synchronous bound for the task to end; returns its latest state either way. */
    public TaskRecord awaitEnd(TaskRecord task) {
        return awaitEnd(task, settings.syncWait());
    }

    /** Waits until {@code answerBy} at the latest for the task to end; returns its latest state either way. */
    public TaskRecord awaitEnd(TaskRecord task, Instant answerBy) {
        Duration left = Duration.between(clock.instant(), answerBy);
        return awaitEnd(task, left.isNegative() ? Duration.ZERO : left);
    }

    /** How long a scripted task's POST waits for its end ({@code TABRUNNER_SYNC_WAIT_MS}). */
    public Duration syncWait() {
        return settings.syncWait();
    }

    /**
     * Waits up to {@code bound} for the task to end, or to stop making progress on its own (paused, or waiting for a
     * person's answer); returns its latest state either way.
     */
    public TaskRecord awaitEnd(TaskRecord task, Duration bound) {
        // a paused task, or one waiting for a person's answer, makes no progress worth waiting for
        return awaitUntil(task, bound, POLL, t -> t.status().isTerminal() || t.status() == TaskStatus.PAUSED
                || t.status() == TaskStatus.GUARDRAIL);
    }

    /**
     * Stops the task: at once when it is not running, otherwise by asking its worker, which stops within about a
     * second (or at the end of the action under way) and ends the task as stopped. A stop always wins over a pause
     * (seed 002: "stops a running task immediately"): it replaces a pause still pending, and when the worker let go
     * of the task as the stop came (it paused, or handed the task on), the stop is applied again, now at once.
     * Exactly one stop request wins.
     *
     * @throws ConflictException when the task has already ended or a stop was already requested
     */
    public TaskRecord stop(Caller caller, String sessionId, String taskId) {
        TaskRecord t = control(caller, sessionId, taskId, TaskRecord.Control.STOP);
        Instant deadline = clock.instant().plus(STOP_WAIT);
        while (!t.status().isTerminal()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            t = awaitUntil(t, left, STATUS_POLL, x -> x.status().isTerminal() || x.control() == null);
            if (!t.status().isTerminal() && t.control() == null) {
                try {
                    t = control(caller, sessionId, taskId, TaskRecord.Control.STOP);
                } catch (ConflictException e) {
                    // it ended, or another stop came first: either way it is stopping; look again
                    t = get(caller, sessionId, taskId);
                }
            }
        }
        return t;
    }

    /**
     * Pauses the task: a running task pauses after the action under way, keeping its session's turn; a task that
     * has not started yet is held back.
     *
     * @throws ConflictException when the task has ended, is paused, or a stop or pause was already requested
     */
    public TaskRecord pause(Caller caller, String sessionId, String taskId) {
        TaskRecord t = control(caller, sessionId, taskId, TaskRecord.Control.PAUSE);
        return t.status() == TaskStatus.RUNNING ? awaitStatus(t, TaskStatus.PAUSED, STOP_WAIT) : t;
    }

    /**
     * Resumes a paused task from its last checkpoint, on whichever worker takes it.
     *
     * @throws ConflictException when the task is not paused (a stopped task can never be resumed)
     */
    public TaskRecord resume(Caller caller, String sessionId, String taskId) {
        TaskRecord next = change(caller, sessionId, taskId, t -> {
            if (t.status() != TaskStatus.PAUSED) {
                throw new ConflictException(t.status() == TaskStatus.STOPPED ? "task_stopped" : "task_not_paused",
                        "task " + taskId + " is " + t.status().nativeName() + (t.status() == TaskStatus.STOPPED
                        ? "; a stopped task cannot be resumed" : "; only a paused task can be resumed"));
            }
            return t.toBuilder().status(TaskStatus.CREATED).control(null).build();
        });
        dispatcher.dispatch(next);
        return next;
    }

    private TaskRecord control(Caller caller, String sessionId, String taskId, TaskRecord.Control request) {
        TaskRecord next = change(caller, sessionId, taskId, t -> controlled(t, request));
        if (next.status() == TaskStatus.STOPPED) {
            // a paused task keeps its session's turn; a stopped one gives it to the next waiting task
            turns.giveBack(next.tenantId(), next.sessionId(), next.id(), s -> s);
            ends.ended(next);
        }
        return next;
    }

    private TaskRecord controlled(TaskRecord t, TaskRecord.Control request) {
        if (t.status().isTerminal()) {
            throw new ConflictException("task_ended", "task " + t.id() + " has already ended ("
                    + t.status().nativeName() + ")");
        }
        // a stop replaces a pause that has not taken effect yet; anything else already requested wins
        boolean stopOverPause = request == TaskRecord.Control.STOP && t.control() == TaskRecord.Control.PAUSE;
        if (t.control() != null && !stopOverPause) {
            String requested = t.control().name().toLowerCase(Locale.ROOT);
            throw new ConflictException("task_" + requested + "_requested", "a " + requested + " of task " + t.id()
                    + " was already requested");
        }
        if (request == TaskRecord.Control.PAUSE && t.status() != TaskStatus.RUNNING
                && t.status() != TaskStatus.CREATED) {
            throw new ConflictException("task_not_running", "task " + t.id() + " is " + t.status().nativeName()
                    + "; only a running or waiting task can be paused");
        }
        if (t.status() == TaskStatus.RUNNING) {
            return t.toBuilder().control(request).build();
        }
        if (request == TaskRecord.Control.STOP) {
            return t.toBuilder().status(TaskStatus.STOPPED).control(request).finishedAt(clock.instant())
                    .lease(null, null).build();
        }
        return t.toBuilder().status(TaskStatus.PAUSED).build();
    }

    /**
     * Changes one of the caller's tasks with a conditional write, deciding again on the task as it is when another
     * writer (the worker checkpointing) changed it first.
     *
     * @param decide the task's next version; throws to refuse the change
     * @throws ConflictException {@code task_busy} when the task kept changing
     */
    TaskRecord change(Caller caller, String sessionId, String taskId, UnaryOperator<TaskRecord> decide) {
        return ConditionalWrites.untilWritten(CONTROL_ATTEMPTS, () -> get(caller, sessionId, taskId), decide,
                next -> {
                    tasks.update(next);
                    return next;
                }, () -> new ConflictException("task_busy", "task " + taskId + " kept changing; retry"));
    }

    private TaskRecord awaitStatus(TaskRecord task, TaskStatus wanted, Duration bound) {
        return awaitUntil(task, bound, STATUS_POLL, t -> t.status() == wanted || t.status().isTerminal());
    }

    /**
     * Reads the task again every {@code poll} (sooner when this process's worker signals its end) until it is
     * {@code done} or {@code bound} has passed; returns its latest state either way.
     */
    private TaskRecord awaitUntil(TaskRecord task, Duration bound, Duration poll, Predicate<TaskRecord> done) {
        Instant deadline = clock.instant().plus(bound);
        TaskRecord current = task;
        while (!done.test(current)) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            try {
                completions.await(task.id(), left.compareTo(poll) < 0 ? left : poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = tasks.find(task.tenantId(), task.id()).orElse(current);
        }
        return current;
    }

    public TaskRecord get(Caller caller, String sessionId, String taskId) {
        return tasks.find(caller.tenantId(), taskId).filter(t -> t.sessionId().equals(sessionId))
                .orElseThrow(() -> new NotFoundException("task_not_found", "task " + taskId + " not found"));
    }

    public Page<TaskRecord> list(Caller caller, String sessionId, int limit, String cursor) {
        sessions.get(caller, sessionId);
        try {
            return tasks.listBySession(caller.tenantId(), sessionId, limit, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
    }

    /** The caller's tenant's tasks of every session and dialect, newest first. */
    public Page<TaskRecord> listOfTenant(Caller caller, int limit, String cursor) {
        try {
            return tasks.listByTenant(caller.tenantId(), limit, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
    }

    /**
     * How many tasks of the task's session, created before it and not ended, it waits behind: tasks of a session run
     * one after another. Looks at the session's {@value #QUEUE_HORIZON} newest tasks.
     */
    public int tasksAhead(TaskRecord task) {
        return (int) tasks.listBySession(task.tenantId(), task.sessionId(), QUEUE_HORIZON, null).items().stream()
                .filter(t -> !t.id().equals(task.id()) && !t.status().isTerminal()
                        && t.createdAt().isBefore(task.createdAt()))
                .count();
    }

    public Optional<Artifact> artifact(TaskRecord task, String artifactId) {
        return task.artifacts().stream().filter(a -> a.id().equals(artifactId)).findFirst();
    }

    public byte[] artifactBytes(Artifact a) {
        return blobs.get(a.blobKey()).orElseThrow(() -> new NotFoundException("artifact_not_found",
                "artifact " + a.id() + " is no longer stored"));
    }

    /** Where the caller can fetch the artifact directly (a presigned S3 URL on AWS); empty when we serve it. */
    public Optional<URI> artifactLink(Artifact a) {
        return blobs.downloadUrl(a.blobKey(), a.filename(), a.contentType(), DOWNLOAD_LINK_TTL);
    }
}
