package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskCompletions;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.service.SessionTurns;
import dev.tabrunner.service.TaskEnds;
import jakarta.inject.Singleton;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Accepts scripted tasks, hands them to a worker, and waits (boundedly) for their result. */
@Singleton
public final class TaskService {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int CONTROL_ATTEMPTS = 10;
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

    public TaskService(SessionService sessions, TaskStore tasks, TaskDispatcher dispatcher,
                       TaskCompletions completions, BlobStore blobs, ApiSettings settings, Clock clock,
                       SessionStore sessionStore, TaskEnds ends) {
        this.ends = ends;
        this.turns = new SessionTurns(sessionStore, tasks, dispatcher);
        this.sessions = sessions;
        this.tasks = tasks;
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
    }

    /** Validates, stores and dispatches a Run Task body; the returned record is as created. */
    public TaskRecord submit(Caller caller, String sessionId, JsonNode body) {
        Session session = sessions.requireActive(caller, sessionId);
        TaskRequestParser.parse(body);
        if (tasks.countUnfinished(caller.tenantId(), settings.maxTasks()) >= settings.maxTasks()) {
            throw new ApiException(429, "too_many_tasks", "this tenant has " + settings.maxTasks()
                    + " tasks waiting or running, its limit; retry when some have finished",
                    Map.of("retryAfterSeconds", 5));
        }
        TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), caller.tenantId(), session.id(),
                TaskRecord.KIND_SCRIPTED, body, clock.instant());
        tasks.create(task);
        // no touch here: the worker moves lastActivityAt when it saves the session's state after the task
        dispatcher.dispatch(task);
        return task;
    }

    /** Waits up to the synchronous bound for the task to end; returns its latest state either way. */
    public TaskRecord awaitEnd(TaskRecord task) {
        return awaitEnd(task, settings.syncWait());
    }

    /**
     * Waits up to {@code bound} for the task to end, or to stop making progress on its own (paused, or waiting for a
     * person's answer); returns its latest state either way.
     */
    public TaskRecord awaitEnd(TaskRecord task, Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        TaskRecord current = task;
        // a paused task, or one waiting for a person's answer, makes no progress worth waiting for
        while (!current.status().isTerminal() && current.status() != TaskStatus.PAUSED
                && current.status() != TaskStatus.GUARDRAIL) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            try {
                completions.await(task.id(), left.compareTo(POLL) < 0 ? left : POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = tasks.find(task.tenantId(), task.id()).orElse(current);
        }
        return current;
    }

    /**
     * Stops the task: at once when it is not running, otherwise by asking its worker, which stops within about a
     * second (or at the end of the action under way) and ends the task as stopped. Exactly one request wins.
     *
     * @throws ConflictException when the task has already ended or a stop was already requested
     */
    public TaskRecord stop(Caller caller, String sessionId, String taskId) {
        TaskRecord t = control(caller, sessionId, taskId, TaskRecord.Control.STOP);
        return t.status().isTerminal() ? t : awaitEnd(t, STOP_WAIT);
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
        for (int attempt = 0; attempt < CONTROL_ATTEMPTS; attempt++) {
            TaskRecord t = get(caller, sessionId, taskId);
            if (t.status() != TaskStatus.PAUSED) {
                throw new ConflictException(t.status() == TaskStatus.STOPPED ? "task_stopped" : "task_not_paused",
                        "task " + taskId + " is " + t.status().nativeName() + (t.status() == TaskStatus.STOPPED
                        ? "; a stopped task cannot be resumed" : "; only a paused task can be resumed"));
            }
            TaskRecord next = t.toBuilder().status(TaskStatus.CREATED).control(null).build();
            try {
                tasks.update(next);
            } catch (ConflictException e) {
                continue;
            }
            dispatcher.dispatch(next);
            return next;
        }
        throw new ConflictException("task_busy", "task " + taskId + " kept changing; retry");
    }

    private TaskRecord control(Caller caller, String sessionId, String taskId, TaskRecord.Control request) {
        for (int attempt = 0; attempt < CONTROL_ATTEMPTS; attempt++) {
            TaskRecord t = get(caller, sessionId, taskId);
            if (t.status().isTerminal()) {
                throw new ConflictException("task_ended", "task " + taskId + " has already ended ("
                        + t.status().nativeName() + ")");
            }
            if (t.control() != null) {
                throw new ConflictException("task_" + t.control().name().toLowerCase(java.util.Locale.ROOT)
                        + "_requested", "a " + t.control().name().toLowerCase(java.util.Locale.ROOT)
                        + " of task " + taskId + " was already requested");
            }
            if (request == TaskRecord.Control.PAUSE && t.status() != TaskStatus.RUNNING
                    && t.status() != TaskStatus.CREATED) {
                throw new ConflictException("task_not_running", "task " + taskId + " is "
                        + t.status().nativeName() + "; only a running or waiting task can be paused");
            }
            TaskRecord next;
            if (t.status() == TaskStatus.RUNNING) {
                next = t.toBuilder().control(request).build();
            } else if (request == TaskRecord.Control.STOP) {
                next = t.toBuilder().status(TaskStatus.STOPPED).control(request).finishedAt(clock.instant())
                        .lease(null, null).build();
            } else {
                next = t.toBuilder().status(TaskStatus.PAUSED).build();
            }
            try {
                tasks.update(next);
            } catch (ConflictException e) {
                continue; // changed meanwhile (the worker checkpointed): look again
            }
            if (next.status() == TaskStatus.STOPPED) {
                // a paused task keeps its session's turn; a stopped one gives it to the next waiting task
                turns.giveBack(next.tenantId(), next.sessionId(), next.id(), s -> s);
                ends.ended(next);
            }
            return next;
        }
        throw new ConflictException("task_busy", "task " + taskId + " kept changing; retry");
    }

    private TaskRecord awaitStatus(TaskRecord task, TaskStatus wanted, Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        TaskRecord current = task;
        while (current.status() != wanted && !current.status().isTerminal() && clock.instant().isBefore(deadline)) {
            try {
                Thread.sleep(100);
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

    public static String pollUrl(TaskRecord t) {
        return "/browser/sessions/" + t.sessionId() + "/tasks/" + t.id();
    }

    /**
     * The seed-000 response body: {@code url}, {@code screenshot}, {@code pdf}, {@code content}, {@code results},
     * plus the task's own fields. Binary outputs are inlined as base64.
     */
    public Map<String, Object> view(TaskRecord t, boolean inlineOutputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskId", t.id());
        out.put("sessionId", t.sessionId());
        out.put("status", t.status().nativeName());
        out.put("url", t.finalUrl());
        if (inlineOutputs) {
            firstOfKind(t, "screenshot").ifPresent(a -> out.put("screenshot", base64(a)));
            firstOfKind(t, "pdf").ifPresent(a -> out.put("pdf", base64(a)));
            firstOfKind(t, "content").ifPresent(a -> out.put("content", Map.of(
                    "html", new String(artifactBytes(a), StandardCharsets.UTF_8),
                    "url", t.finalUrl() == null ? "" : t.finalUrl())));
        }
        out.put("results", results(t, inlineOutputs));
        if (t.error() != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", t.error().status());
            error.put("code", t.error().code());
            error.put("message", t.error().message());
            if (t.error().actionIndex() >= 0) {
                error.put("actionIndex", t.error().actionIndex());
                error.put("actionType", t.error().actionType());
            }
            out.put("error", error);
        }
        out.put("createdAt", t.createdAt().toString());
        if (t.startedAt() != null) {
            out.put("startedAt", t.startedAt().toString());
        }
        if (t.finishedAt() != null) {
            out.put("completedAt", t.finishedAt().toString());
        }
        out.put("artifacts", t.artifacts().stream().map(a -> artifactView(t, a)).toList());
        if (!t.status().isTerminal()) {
            out.put("pollUrl", pollUrl(t));
        }
        if (t.liveViewUrl() != null) {
            out.put("liveViewUrl", t.liveViewUrl());
        }
        if (t.control() != null && !t.status().isTerminal()) {
            out.put("requested", t.control().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (t.network() != null) {
            out.put("network", t.network());
        }
        if (TaskRecord.KIND_AGENT.equals(t.kind())) {
            AgentViews.addTo(out, t);
        }
        return out;
    }

    private List<JsonNode> results(TaskRecord t, boolean inline) {
        if (!inline) {
            return List.copyOf(toList(t));
        }
        return toList(t).stream().map(r -> {
            if (r.has("artifactId")) {
                ObjectNode copy = r.deepCopy();
                artifact(t, r.get("artifactId").asText()).ifPresent(a -> copy.put("screenshot", base64(a)));
                return (JsonNode) copy;
            }
            return r;
        }).toList();
    }

    private static List<JsonNode> toList(TaskRecord t) {
        return Json.mapper().convertValue(t.results(),
                Json.mapper().getTypeFactory().constructCollectionType(List.class, JsonNode.class));
    }

    private static Map<String, Object> artifactView(TaskRecord t, Artifact a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("kind", a.kind());
        out.put("filename", a.filename());
        out.put("contentType", a.contentType());
        out.put("size", a.size());
        out.put("downloadUrl", pollUrl(t) + "/artifacts/" + a.id());
        return out;
    }

    private Optional<Artifact> firstOfKind(TaskRecord t, String kind) {
        return t.artifacts().stream().filter(a -> a.kind().equals(kind)).findFirst();
    }

    private String base64(Artifact a) {
        return Base64.getEncoder().encodeToString(artifactBytes(a));
    }
}
