package dev.tabrunner.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Task recordings (ADR 0042): which tasks are recorded, and the stored form both sides read. A recording is an
 * rrweb event list kept as an artifact of the task ({@value #KIND}), one per run of the task (a paused or resumed
 * task runs more than once); the API joins them into one document:
 *
 * <pre>{"format": "rrweb", "version": 1, "truncated": false, "events": [...], "marks": [{at, index, type, label}]}</pre>
 *
 * <p>{@code marks} are the task's actions (a scripted task's list, an agent's steps) as they began, on the events'
 * clock, for the replay page's timeline.
 */
public final class Recordings {
    /** The artifact kind of one run's recording. */
    public static final String KIND = "recording";
    public static final String FILENAME = "recording.json";
    public static final String CONTENT_TYPE = "application/json";
    /** The field of a task request (and of a session's options) that asks for a recording or declines one. */
    public static final String FIELD = "recording";
    /**
     * How much one task's recording may hold by default: under the 6 MB an API Lambda may answer, since the API
     * serves the joined document itself. Past it the recording stops and says so ({@code truncated}); the task goes on.
     */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
    /** The setting that lowers (or, locally, raises) {@link #DEFAULT_MAX_BYTES}. */
    public static final String MAX_BYTES_SETTING = "TABRUNNER_RECORDING_MAX_BYTES";

    private Recordings() {
    }

    /**
     * Whether a task is recorded: its own {@code recording} when it says, else its session's, else natural-language
     * tasks are (what a person most wants to watch afterwards) and scripted ones are not (they are often many, short
     * and already described by their action list).
     */
    public static boolean wanted(Boolean task, SessionOptions session, String kind) {
        if (task != null) {
            return task;
        }
        if (session != null && session.recording() != null) {
            return session.recording();
        }
        return TaskRecord.KIND_AGENT.equals(kind);
    }

    /** The stored request with the decision of {@link #wanted} written into it, which the worker then obeys. */
    public static JsonNode decided(JsonNode request, SessionOptions session, String kind) {
        if (!(request instanceof ObjectNode object)) {
            return request;
        }
        JsonNode own = object.get(FIELD);
        boolean wanted = wanted(own != null && own.isBoolean() ? own.booleanValue() : null, session, kind);
        ObjectNode copy = object.deepCopy();
        copy.put(FIELD, wanted);
        return copy;
    }

    /** Whether the worker records a task whose stored request this is (tasks stored before recordings: no). */
    public static boolean recorded(JsonNode storedRequest) {
        return storedRequest != null && storedRequest.path(FIELD).asBoolean(false);
    }

    /** The deployment's limit per task, from {@value #MAX_BYTES_SETTING} (at least 64 KB). */
    public static long maxBytes(Map<String, String> env) {
        String v = env.get(MAX_BYTES_SETTING);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            return Math.max(64 * 1024, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_BYTES_SETTING + " must be a number of bytes", e);
        }
    }

    /** The task's recordings, one per run, in the order the runs made them. */
    public static List<Artifact> of(TaskRecord task) {
        return task.artifacts().stream().filter(a -> a.kind().equals(KIND)).toList();
    }

    /**
     * One document of the runs' recordings, in order: their events and marks appended, truncated when any run's
     * was, or when the runs together pass {@code maxBytes} (the later runs' events are then left out).
     *
     * @throws IOException when a stored recording is not one
     */
    public static ObjectNode joined(List<byte[]> runs, long maxBytes) throws IOException {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("format", "rrweb").put("version", 1);
        boolean truncated = false;
        ArrayNode events = Json.mapper().createArrayNode();
        ArrayNode marks = Json.mapper().createArrayNode();
        long size = 0;
        for (byte[] run : runs) {
            if (size + run.length > maxBytes && size > 0) {
                truncated = true;
                break;
            }
            size += run.length;
            JsonNode doc = Json.mapper().readTree(run);
            truncated |= doc.path("truncated").asBoolean(false);
            doc.path("events").forEach(events::add);
            doc.path("marks").forEach(marks::add);
        }
        out.put("truncated", truncated);
        out.set("events", events);
        out.set("marks", marks);
        return out;
    }
}
