package dev.tabrunner.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A browser session as data: its options and its persisted browser state (a blob key for the Playwright
 * storageState plus the URL the last task ended on). Any worker can pick it up.
 *
 * @param activeTaskId   the task that has the session's browser state to itself until it ends (or null): tasks of a
 *                       session run one after another, also across workers
 * @param version        optimistic-concurrency counter; every stored change increments it
 * @param stateVersion   names the saved browser state: a new value whenever {@code currentUrl} or {@code stateKey}
 *                       change (null before the first save). A worker that kept the session's browser context warm
 *                       reuses it only while this still names the state it saved; any other value means the state
 *                       was saved elsewhere since, and the context is restored from it
 * @param waitingTaskIds tasks that found the turn taken and wait to be handed the session, in the order they began
 *                       to wait: the task that gives the turn back looks for the next one only when there is one
 */
public record Session(String id, String tenantId, SessionStatus status, Instant createdAt, Instant lastActivityAt,
                      SessionOptions options, String currentUrl, String stateKey, Instant terminatedAt,
                      String activeTaskId, long version, String stateVersion, List<String> waitingTaskIds) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(options, "options");
        // rows written before the field existed have none
        waitingTaskIds = waitingTaskIds == null ? List.of() : List.copyOf(waitingTaskIds);
    }

    /** A session with no saved state version and no waiting task (a new one, or one from before they existed). */
    public Session(String id, String tenantId, SessionStatus status, Instant createdAt, Instant lastActivityAt,
                   SessionOptions options, String currentUrl, String stateKey, Instant terminatedAt,
                   String activeTaskId, long version) {
        this(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey, terminatedAt,
                activeTaskId, version, null, List.of());
    }

    public Instant expiresAt() {
        return lastActivityAt.plus(Duration.ofMillis(options.inactivityTimeoutMs()));
    }

    /** The status as of {@code now}: an active session past its inactivity timeout reads as expired. */
    public SessionStatus statusAt(Instant now) {
        if (status == SessionStatus.ACTIVE && now.isAfter(expiresAt())) {
            return SessionStatus.EXPIRED;
        }
        return status;
    }

    public Session touched(Instant now) {
        return new Session(id, tenantId, status, createdAt, now, options, currentUrl, stateKey, terminatedAt,
                activeTaskId, version, stateVersion, waitingTaskIds);
    }

    /** The session with a new saved state, under a new {@link #stateVersion()} nobody has seen yet. */
    public Session withState(String url, String key, Instant now) {
        return withState(url, key, newStateVersion(), now);
    }

    /**
     * The session with a new saved state under the given {@link #stateVersion()}: the worker names the state before
     * it stores it, so that the browser context it keeps warm can be told apart from any state saved elsewhere.
     */
    public Session withState(String url, String key, String newStateVersion, Instant now) {
        return new Session(id, tenantId, status, createdAt, now, options, url, key, terminatedAt, activeTaskId,
                version, Objects.requireNonNull(newStateVersion, "newStateVersion"), waitingTaskIds);
    }

    /** A state version no stored session has. */
    public static String newStateVersion() {
        return UUID.randomUUID().toString();
    }

    /** The session with other options (an environment attached before its first task). */
    public Session withOptions(SessionOptions newOptions) {
        return new Session(id, tenantId, status, createdAt, lastActivityAt, newOptions, currentUrl, stateKey,
                terminatedAt, activeTaskId, version);
    }

    public Session terminated(Instant now) {
        return new Session(id, tenantId, SessionStatus.TERMINATED, createdAt, lastActivityAt, options, currentUrl,
                stateKey, now, activeTaskId, version, stateVersion, waitingTaskIds);
    }

    public Session withVersion(long value) {
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, activeTaskId, value, stateVersion, waitingTaskIds);
    }

    /** The session held by {@code taskId}, or released when it is null; a task that takes it no longer waits. */
    public Session heldBy(String taskId) {
        List<String> waiting = taskId == null ? waitingTaskIds : without(waitingTaskIds, List.of(taskId));
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, taskId, version, stateVersion, waiting);
    }

    /** The session with {@code taskId} among the tasks waiting for their turn (once). */
    public Session waitedOnBy(String taskId) {
        if (waitingTaskIds.contains(taskId)) {
            return this;
        }
        List<String> waiting = new ArrayList<>(waitingTaskIds);
        waiting.add(taskId);
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, activeTaskId, version, stateVersion, waiting);
    }

    /** The session without these tasks among the waiting ones (they ended, or were handed the session). */
    public Session noLongerWaitedOnBy(List<String> taskIds) {
        List<String> waiting = without(waitingTaskIds, taskIds);
        if (waiting.size() == waitingTaskIds.size()) {
            return this;
        }
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, activeTaskId, version, stateVersion, waiting);
    }

    private static List<String> without(List<String> ids, List<String> removed) {
        return ids.stream().filter(i -> !removed.contains(i)).toList();
    }
}
