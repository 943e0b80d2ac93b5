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
    /** Long enough to follow a redirect, short enough that a leaked link soon stops working. */
    static final Duration DOWNLOAD_LINK_TTL = Duration.ofMinutes(5);

    private final SessionService sessions;
    private final TaskStore tasks;
    private final TaskDispatcher dispatcher;
    private final TaskCompletions completions;
    private final BlobStore blobs;
    private final ApiSettings settings;
    private final Clock clock;

    public TaskService(SessionService sessions, TaskStore tasks, TaskDispatcher dispatcher,
                       TaskCompletions completions, BlobStore blobs, ApiSettings settings, Clock clock) {
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
        TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), caller.tenantId(), session.id(),
                TaskRecord.KIND_SCRIPTED, body, clock.instant());
        tasks.create(task);
        // no touch here: the worker moves lastActivityAt when it saves the session's state after the task
        dispatcher.dispatch(task);
        return task;
    }

    /** Waits up to the synchronous bound for the task to end; returns its latest state either way. */
    public TaskRecord awaitEnd(TaskRecord task) {
        Instant deadline = clock.instant().plus(settings.syncWait());
        TaskRecord current = task;
        while (!current.status().isTerminal()) {
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
