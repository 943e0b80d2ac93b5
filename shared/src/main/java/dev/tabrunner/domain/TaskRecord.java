package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A task as stored: its request, its state and everything it produced so far. The worker rewrites it after
 * every action (the checkpoint), always with a version check.
 *
 * @param request       the validated request body, as JSON
 * @param results       one entry per completed action, in order
 * @param finalUrl      URL of the page when the task ended
 * @param artifacts     screenshots, PDFs and HTML the task produced
 * @param leaseOwner    id of the worker that holds the task while running
 * @param leaseExpiresAt when another worker may take the task over
 * @param attempts      how many times a worker has claimed the task
 * @param liveViewUrl   while the task runs, the URL (path and token) of its live view; null before and after
 * @param control       a request from outside that the worker must obey at its next check: stop or pause
 * @param checkpoint    what a resumed run needs beyond the results (opaque to everyone but the task's program)
 * @param network       the task's network log: requests made and requests the egress guard refused
 * @param agent         for a natural-language task: what callers see of the agent's progress (steps, usage, the
 *                      replay list, the question waiting for a person and its answer, the result data); null for
 *                      other kinds
 * @param dialect       what the API dialect that created the task keeps with it for its own views; null for tasks of
 *                      the native API
 * @param race          the race the task is a copy in (the same work run several times at once, the first copy to
 *                      finish wins and the others are stopped; see {@link dev.tabrunner.service.TaskEnds}); null for
 *                      a task run once
 * @param createdBy     the id of the API key that created the task (null for tasks stored before it was kept)
 */
public record TaskRecord(String id, String tenantId, String sessionId, String kind, TaskStatus status,
                         JsonNode request, ArrayNode results, String finalUrl, List<Artifact> artifacts,
                         TaskError error, Instant createdAt, Instant startedAt, Instant finishedAt,
                         String leaseOwner, Instant leaseExpiresAt, int attempts, long version,
                         String liveViewUrl, Control control, JsonNode checkpoint, ArrayNode network,
                         JsonNode agent, DialectData dialect, Race race, String createdBy) {
    public static final String KIND_SCRIPTED = "scripted";
    /** A natural-language task carried out by the agent (seed 001). */
    public static final String KIND_AGENT = "agent";
    /**
     * A client driving the session's browser over CDP ({@code POST /browser/sessions/{id}/connect}): it holds the
     * session like a task while the client is connected, and saves its state when the client leaves.
     */
    public static final String KIND_CONNECTION = "connection";
    /** Where rows written before {@link DialectData} kept it: inside the request, with its name. */
    private static final String LEGACY_DIALECT_FIELD = "dialect";

    /** What a caller asked a running task to do. */
    public enum Control {
        STOP, PAUSE
    }

    /**
     * The copies of one piece of work raced against each other.
     *
     * @param group  names the race (the first copy's id)
     * @param copies every copy's task id, the first copy's first; a copy finds its siblings here
     */
    public record Race(String group, List<String> copies) {
        public Race {
            Objects.requireNonNull(group, "group");
            copies = List.copyOf(copies);
            if (!copies.contains(group)) {
                throw new IllegalArgumentException("a race's group is one of its copies");
            }
        }
    }

    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(createdAt, "createdAt");
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        if (dialect == null && request.path(LEGACY_DIALECT_FIELD).path("name").isTextual()) {
            // a row written before the dialect had a field of its own: lifted out of the request, so that nobody
            // (the worker's request parser, a store's index) has to know the old place
            ObjectNode data = request.get(LEGACY_DIALECT_FIELD).deepCopy();
            String name = data.remove("name").textValue();
            ObjectNode rest = request.deepCopy();
            rest.remove(LEGACY_DIALECT_FIELD);
            request = rest;
            dialect = new DialectData(name, data);
        }
    }

    public static TaskRecord created(String id, String tenantId, String sessionId, String kind, JsonNode request,
                                     Instant now) {
        return created(id, tenantId, sessionId, kind, request, null, now);
    }

    /** A new task; {@code dialect} is what the dialect that creates it keeps with it, or null. */
    public static TaskRecord created(String id, String tenantId, String sessionId, String kind, JsonNode request,
                                     DialectData dialect, Instant now) {
        return created(id, tenantId, sessionId, kind, request, dialect, null, now);
    }

    /** A new task, a copy in {@code race} (or null for a task run once). */
    public static TaskRecord created(String id, String tenantId, String sessionId, String kind, JsonNode request,
                                     DialectData dialect, Race race, Instant now) {
        return created(id, tenantId, sessionId, kind, request, dialect, race, null, now);
    }

    /** A new task created with the API key {@code createdBy}. */
    public static TaskRecord created(String id, String tenantId, String sessionId, String kind, JsonNode request,
                                     DialectData dialect, Race race, String createdBy, Instant now) {
        if (race != null && !race.copies().contains(id)) {
            throw new IllegalArgumentException("task " + id + " is not a copy of race " + race.group());
        }
        return new TaskRecord(id, tenantId, sessionId, kind, TaskStatus.CREATED, request,
                dev.tabrunner.json.Json.mapper().createArrayNode(), null, List.of(), null, now, null, null, null,
                null, 0, 0, null, null, null, null, null, dialect, race, createdBy);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change helper: records have many fields and the worker changes a few at a time. */
    public static final class Builder {
        private final TaskRecord base;
        private TaskStatus status;
        private ArrayNode results;
        private String finalUrl;
        private List<Artifact> artifacts;
        private TaskError error;
        private Instant startedAt;
        private Instant finishedAt;
        private String leaseOwner;
        private Instant leaseExpiresAt;
        private int attempts;
        private String liveViewUrl;
        private Control control;
        private JsonNode checkpoint;
        private ArrayNode network;
        private JsonNode agent;

        private Builder(TaskRecord base) {
            this.base = base;
            this.status = base.status;
            this.results = base.results;
            this.finalUrl = base.finalUrl;
            this.artifacts = base.artifacts;
            this.error = base.error;
            this.startedAt = base.startedAt;
            this.finishedAt = base.finishedAt;
            this.leaseOwner = base.leaseOwner;
            this.leaseExpiresAt = base.leaseExpiresAt;
            this.attempts = base.attempts;
            this.liveViewUrl = base.liveViewUrl;
            this.control = base.control;
            this.checkpoint = base.checkpoint;
            this.network = base.network;
            this.agent = base.agent;
        }

        public Builder agent(JsonNode value) {
            this.agent = value;
            return this;
        }

        public Builder control(Control value) {
            this.control = value;
            return this;
        }

        public Builder checkpoint(JsonNode value) {
            this.checkpoint = value;
            return this;
        }

        public Builder network(ArrayNode value) {
            this.network = value;
            return this;
        }

        public Builder liveViewUrl(String value) {
            this.liveViewUrl = value;
            return this;
        }

        public Builder status(TaskStatus value) {
            this.status = value;
            return this;
        }

        public Builder results(ArrayNode value) {
            this.results = value;
            return this;
        }

        public Builder finalUrl(String value) {
            this.finalUrl = value;
            return this;
        }

        public Builder artifacts(List<Artifact> value) {
            this.artifacts = value;
            return this;
        }

        public Builder error(TaskError value) {
            this.error = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            this.startedAt = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public Builder lease(String owner, Instant expiresAt) {
            this.leaseOwner = owner;
            this.leaseExpiresAt = expiresAt;
            return this;
        }

        public Builder attempts(int value) {
            this.attempts = value;
            return this;
        }

        /** The next version of the record; the store writes it only if the stored version is still the base's. */
        public TaskRecord build() {
            if (status != base.status && !base.status.canMoveTo(status)) {
                throw new IllegalStateException("task " + base.id + " cannot move from " + base.status + " to "
                        + status);
            }
            return new TaskRecord(base.id, base.tenantId, base.sessionId, base.kind, status, base.request, results,
                    finalUrl, artifacts, error, base.createdAt, startedAt, finishedAt, leaseOwner, leaseExpiresAt,
                    attempts, base.version + 1, liveViewUrl, control, checkpoint, network, agent, base.dialect,
                    base.race, base.createdBy);
        }
    }
}
