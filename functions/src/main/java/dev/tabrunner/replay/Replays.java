package dev.tabrunner.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.recording.Recordings;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A task's recording as callers read it (the runs' recordings joined, ADR 0042), and the links of the replay page.
 * A browser cannot send the API key with a page it opens, so {@code POST .../replay} hands out a link with a random
 * token that opens that task's replay only, for {@link #LINK_TTL}: the token's hash, with the task it opens, lives in
 * the idempotency store, the deployment's one store of small rows expired by time, which every API function reaches
 * (as the upload links of {@code UploadGrants} do). Unlike those, a replay link may be opened again until it expires
 * (the page, then its recording, then a reload).
 */
@Singleton
public final class Replays {
    /** How long a replay link is good for: long enough to watch a long task, short enough not to be a share link. */
    public static final Duration LINK_TTL = Duration.ofHours(1);
    /**
     * The most a joined recording may hold: the API answers with it itself, and an API Lambda's answer is capped at
     * 6 MB. Each run's recording is capped by the worker ({@link Recordings#DEFAULT_MAX_BYTES}).
     */
    static final long MAX_JOINED_BYTES = 5L * 1024 * 1024;
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NOT_RECORDED = "recording_not_found";

    private final TaskStore tasks;
    private final BlobStore blobs;
    private final IdempotencyStore links;
    private final Clock clock;

    public Replays(TaskStore tasks, BlobStore blobs, IdempotencyStore links, Clock clock) {
        this.tasks = tasks;
        this.blobs = blobs;
        this.links = links;
        this.clock = clock;
    }

    /** A link's token and when it stops opening the replay. */
    public record Link(String token, Instant expiresAt) {
    }

    /** What a link opens, as stored under the token's hash. */
    record Grant(String tenantId, String taskId, Instant expiresAt) {
    }

    /**
     * The task's recording: every run's events and marks in one document.
     *
     * @throws NotFoundException when the task was not recorded, or its recording is no longer stored
     */
    public byte[] recording(TaskRecord task) {
        List<Artifact> runs = Recordings.of(task);
        if (runs.isEmpty()) {
            throw notRecorded(task);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (Artifact run : runs) {
            blobs.get(run.blobKey()).ifPresent(bytes::add);
        }
        if (bytes.isEmpty()) {
            throw new NotFoundException(NOT_RECORDED, "the recording of task " + task.id() + " is no longer stored");
        }
        try {
            return Json.mapper().writeValueAsBytes(Recordings.joined(bytes, MAX_JOINED_BYTES));
        } catch (IOException e) {
            throw new NotFoundException(NOT_RECORDED, "the recording of task " + task.id() + " is unreadable");
        }
    }

    /**
     * A new replay link for the task.
     *
     * @throws NotFoundException when the task has no recording
     */
    public Link link(TaskRecord task) {
        if (Recordings.of(task).isEmpty()) {
            throw notRecorded(task);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = clock.instant();
        Grant grant = new Grant(task.tenantId(), task.id(), now.plus(LINK_TTL));
        String key = key(token);
        links.reserve(key, "replay-link", now, LINK_TTL, LINK_TTL);
        try {
            links.complete(key, 200, Json.mapper().writeValueAsBytes(grant));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Link(token, grant.expiresAt());
    }

    /**
     * The task a replay link opens.
     *
     * @throws NotFoundException when the token is unknown, expired or for another task, or the task is gone: all
     *                           alike, so that a link tells nothing about other tasks
     */
    public TaskRecord open(String taskId, String token) {
        return grant(token).filter(g -> g.taskId().equals(taskId))
                .flatMap(g -> tasks.find(g.tenantId(), g.taskId()))
                .orElseThrow(() -> new NotFoundException("replay_not_found", "this replay link is unknown or has"
                        + " expired; ask the API for a new one (POST .../tasks/{taskId}/replay)"));
    }

    private static NotFoundException notRecorded(TaskRecord task) {
        return new NotFoundException(NOT_RECORDED, "task " + task.id() + " was not recorded"
                + (Recordings.recorded(task.request()) && !task.status().isTerminal()
                ? " yet: its recording is stored when its run ends" : ""));
    }

    /** True when the text can be a task id (what the replay page puts into its own links). */
    public static boolean validTaskId(String taskId) {
        return taskId != null && TASK_ID.matcher(taskId).matches();
    }

    private Optional<Grant> grant(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = key(token);
        // a grant is a completed entry, so this never takes it over: it only reads it
        Optional<IdempotencyStore.Entry> entry = links.reserve(key, "lookup", now, LINK_TTL, LINK_TTL.multipliedBy(4));
        if (entry.isEmpty()) {
            links.release(key); // no such link: what this just reserved goes again
            return Optional.empty();
        }
        if (entry.get().status() == null || entry.get().body() == null) {
            return Optional.empty();
        }
        try {
            Grant grant = Json.mapper().readValue(entry.get().body(), Grant.class);
            return now.isBefore(grant.expiresAt()) ? Optional.of(grant) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Not a tenant's idempotency key: those start with the tenant id, which has no '_'. */
    private static String key(String token) {
        try {
            return "replay_link/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
