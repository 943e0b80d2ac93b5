package dev.tabrunner.testing;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
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
    public synchronized void create(Session session, int maxActive) {
        if (byId.containsKey(session.id())) {
            throw new ConflictException("session_exists", "session " + session.id() + " exists");
        }
        Instant now = session.createdAt();
        long active = byId.values().stream()
                .filter(s -> s.tenantId().equals(session.tenantId()) && s.statusAt(now) == SessionStatus.ACTIVE)
                .count();
        if (active >= maxActive) {
            throw new LimitReachedException("tenant " + session.tenantId() + " has " + maxActive
                    + " active sessions", maxActive);
        }
        // like the DynamoDB adapter, a new session is stored at version 0 whatever the record says
        byId.put(session.id(), session.withVersion(0));
    }

    @Override
    public Optional<Session> find(String tenantId, String sessionId) {
        return Optional.ofNullable(byId.get(sessionId)).filter(s -> s.tenantId().equals(tenantId));
    }

    @Override
    public synchronized Session update(Session session, long expectedVersion) {
        Session stored = session.withVersion(expectedVersion + 1);
        if (!ConditionalWrites.replaceIf(byId, session.id(), current -> current.version() == expectedVersion
                && current.tenantId().equals(session.tenantId()), stored)) {
            throw new ConflictException("session_changed", "session " + session.id() + " changed concurrently");
        }
        return stored;
    }

    @Override
    public synchronized Session renew(Session next, long expectedVersion, int maxActive) {
        Session current = byId.get(next.id());
        if (current == null || current.version() != expectedVersion || !current.tenantId().equals(next.tenantId())) {
            throw new ConflictException("session_changed", "session " + next.id() + " changed concurrently");
        }
        Instant now = next.createdAt();
        long active = byId.values().stream().filter(s -> !s.id().equals(next.id())
                && s.tenantId().equals(next.tenantId()) && s.statusAt(now) == SessionStatus.ACTIVE).count();
        if (active >= maxActive) {
            throw new LimitReachedException("tenant " + next.tenantId() + " has " + maxActive
                    + " active sessions", maxActive);
        }
        Session stored = next.withVersion(expectedVersion + 1);
        byId.put(next.id(), stored);
        return stored;
    }

    @Override
    public Page<Session> list(String tenantId, int limit, String cursor) {
        return pages.page(byId.values().stream().filter(s -> s.tenantId().equals(tenantId)).toList(), tenantId,
                limit, cursor);
    }

    @Override
    public int countActive(String tenantId) {
        return (int) byId.values().stream()
                .filter(s -> s.tenantId().equals(tenantId) && s.status() != SessionStatus.TERMINATED).count();
    }
}
