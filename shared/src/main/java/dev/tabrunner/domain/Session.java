package dev.tabrunner.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A browser session as data: its options and its persisted browser state (a blob key for the Playwright
 * storageState plus the URL the last task ended on). Any worker can pick it up.
 *
 * @param activeTaskId the task that has the session's browser state to itself until it ends (or null): tasks of a
 *                     session run one after another, also across workers
 * @param version      optimistic-concurrency counter; every stored change increments it
 */
public record Session(String id, String tenantId, SessionStatus status, Instant createdAt, Instant lastActivityAt,
                      SessionOptions options, String currentUrl, String stateKey, Instant terminatedAt,
                      String activeTaskId, long version) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
        Objects.requireNonNull(options, "options");
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
                activeTaskId, version);
    }

    public Session withState(String url, String key, Instant now) {
        return new Session(id, tenantId, status, createdAt, now, options, url, key, terminatedAt, activeTaskId,
                version);
    }

    /** The session with other options (an environment attached before its first task). */
    public Session withOptions(SessionOptions newOptions) {
        return new Session(id, tenantId, status, createdAt, lastActivityAt, newOptions, currentUrl, stateKey,
                terminatedAt, activeTaskId, version);
    }

    public Session terminated(Instant now) {
        return new Session(id, tenantId, SessionStatus.TERMINATED, createdAt, lastActivityAt, options, currentUrl,
                stateKey, now, activeTaskId, version);
    }

    public Session withVersion(long value) {
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, activeTaskId, value);
    }

    /** The session held by {@code taskId}, or released when it is null. */
    public Session heldBy(String taskId) {
        return new Session(id, tenantId, status, createdAt, lastActivityAt, options, currentUrl, stateKey,
                terminatedAt, taskId, version);
    }
}
