package dev.tabrunner.testing;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in memory, for unit tests of the API services and the worker. Behaves as {@code SessionStoreContract}
 * pins the DynamoDB adapter down: tenancy, version-checked updates, newest-first pages whose cursors belong to one
 * tenant, the active count. Thread-safe: each write is one atomic map operation.
 */
public final class InMemorySessionStore implements SessionStore {
    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final NewestFirstPages<Session> pages = new NewestFirstPages<>(Session::createdAt, Session::id);

    @Override
    public void create(Session session) {
        // like the DynamoDB adapter, a new session is stored at version 0 whatever the record says
        if (byId.putIfAbsent(session.id(), session.withVersion(0)) != null) {
            throw new ConflictException("session_exists", "session " + session.id() + " exists");
        }
    }

    @Override
    public Optional<Session> find(String tenantId, String sessionId) {
        return Optional.ofNullable(byId.get(sessionId)).filter(s -> s.tenantId().equals(tenantId));
    }

    @Override
    public Session update(Session session, long expectedVersion) {
        Session stored = session.withVersion(expectedVersion + 1);
        if (!ConditionalWrites.replaceIf(byId, session.id(), current -> current.version() == expectedVersion
                && current.tenantId().equals(session.tenantId()), stored)) {
            throw new ConflictException("session_changed", "session " + session.id() + " changed concurrently");
        }
        return stored;
    }

    @Override
    public Page<Session> list(String tenantId, int limit, String cursor) {
        return pages.page(byId.values().stream().filter(s -> s.tenantId().equals(tenantId)).toList(), tenantId,
                limit, cursor);
    }

    @Override
    public int countActive(String tenantId, Instant now, int upTo) {
        long active = byId.values().stream()
                .filter(s -> s.tenantId().equals(tenantId) && s.statusAt(now) == SessionStatus.ACTIVE).count();
        return (int) Math.min(active, upTo);
    }
}
