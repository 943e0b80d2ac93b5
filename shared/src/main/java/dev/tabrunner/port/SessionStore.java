package dev.tabrunner.port;

import dev.tabrunner.domain.Session;

import java.util.Optional;

/** Sessions, always addressed within a tenant. */
public interface SessionStore {
    /**
     * Stores a new session.
     *
     * @throws ConflictException when a session with that id exists
     */
    void create(Session session);

    /** The session if it exists in this tenant; another tenant's session is absent. */
    Optional<Session> find(String tenantId, String sessionId);

    /**
     * Replaces the session if its stored version is {@code expectedVersion}; the stored copy gets
     * {@code expectedVersion + 1}.
     *
     * @return the session as stored
     * @throws ConflictException when the stored version differs or the session is gone
     */
    Session update(Session session, long expectedVersion);

    /**
     * Newest first.
     *
     * @param cursor a {@link Page#nextCursor()} from the previous page, or null
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<Session> list(String tenantId, int limit, String cursor);

    /** How many of the tenant's sessions are active at {@code now}, counting no further than {@code upTo}. */
    int countActive(String tenantId, java.time.Instant now, int upTo);
}
