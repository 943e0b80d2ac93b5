package dev.tabrunner.port;

import dev.tabrunner.domain.Session;

import java.util.Optional;

/** Sessions, always addressed within a tenant. */
public interface SessionStore {
    /**
     * Stores a new session, counted as one of its tenant's active sessions in the same write. Sessions that have
     * expired since (their inactivity timeout passed, which changes no row) stop counting the next time the limit is
     * reached.
     *
     * @param maxActive how many active sessions the tenant may have with this one
     * @throws LimitReachedException when the tenant already has {@code maxActive} sessions active at the session's
     *                               creation time
     * @throws ConflictException     when a session with that id exists
     */
    void create(Session session, int maxActive);

    /**
     * Stores a new session with no limit on its tenant's active sessions.
     *
     * @throws ConflictException when a session with that id exists
     */
    default void create(Session session) {
        create(session, Integer.MAX_VALUE);
    }

    /** The session if it exists in this tenant; another tenant's session is absent. */
    Optional<Session> find(String tenantId, String sessionId);

    /**
     * Replaces the session if its stored version is {@code expectedVersion}; the stored copy gets
     * {@code expectedVersion + 1}. A terminated session stops counting as active in the same write.
     *
     * @return the session as stored
     * @throws ConflictException when the stored version differs or the session is gone
     */
    Session update(Session session, long expectedVersion);

    /**
     * Replaces a session that is no longer active (expired or terminated) by a new generation under the same id,
     * counted as active under the limit as a new session is; the stored copy gets {@code expectedVersion + 1}.
     *
     * @return the session as stored
     * @throws LimitReachedException when the tenant already has {@code maxActive} active sessions
     * @throws ConflictException     when the stored version differs or the session is gone
     */
    Session renew(Session next, long expectedVersion, int maxActive);

    /**
     * Newest first.
     *
     * @param cursor a {@link Page#nextCursor()} from the previous page, or null
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    Page<Session> list(String tenantId, int limit, String cursor);

    /**
     * How many of the tenant's sessions count as active for the limit ({@link #create}): the ones not terminated,
     * including any that expired since the limit was last reached.
     */
    int countActive(String tenantId);
}
