package dev.tabrunner.tasks;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskDispatcher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Creates, reads, lists and terminates sessions, always inside the caller's tenant. */
@Singleton
public final class SessionService {
    private static final int TERMINATE_ATTEMPTS = 5;

    private final SessionStore sessions;
    private final Clock clock;
    private final ApiSettings settings;
    private final TaskDispatcher dispatcher;

    public SessionService(SessionStore sessions, Clock clock, ApiSettings settings, TaskDispatcher dispatcher) {
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
        this.dispatcher = dispatcher;
    }

    /**
     * A new active session with these options.
     *
     * @throws ApiException 429 when the tenant has as many active sessions as it may
     */
    public Session create(Caller caller, SessionOptions options) {
        Instant now = clock.instant();
        if (sessions.countActive(caller.tenantId(), now, settings.maxSessions()) >= settings.maxSessions()) {
            throw new ApiException(429, "too_many_sessions", "this tenant has " + settings.maxSessions()
                    + " active sessions, its limit; terminate one (DELETE /browser/sessions/{id}) or wait for one"
                    + " to expire", Map.of("retryAfterSeconds", 10));
        }
        Session session = new Session(UUID.randomUUID().toString(), caller.tenantId(), SessionStatus.ACTIVE, now, now,
                options, null, null, null, null, 0);
        sessions.create(session);
        return session;
    }

    public Session get(Caller caller, String sessionId) {
        return sessions.find(caller.tenantId(), sessionId)
                .orElseThrow(() -> new NotFoundException("session_not_found", "session " + sessionId + " not found"));
    }

    /** The session, if it can still run tasks. */
    public Session requireActive(Caller caller, String sessionId) {
        Session s = get(caller, sessionId);
        SessionStatus status = s.statusAt(clock.instant());
        if (status != SessionStatus.ACTIVE) {
            throw new ApiException(410, "session_" + status.wireName(), "session " + sessionId + " is "
                    + status.wireName() + "; it accepts no more tasks");
        }
        return s;
    }

    /** Marks the session used now, which pushes its inactivity expiry back. Best effort under contention. */
    public void touch(Session session) {
        try {
            sessions.update(session.touched(clock.instant()), session.version());
        } catch (ConflictException e) {
            // a concurrent writer (the worker saving state) also moves lastActivityAt forward
        }
    }

    /** Terminates the session; a worker keeping its browser context warm is told it may close it now. */
    public Session terminate(Caller caller, String sessionId) {
        Session terminated = ConditionalWrites.untilWritten(TERMINATE_ATTEMPTS, () -> get(caller, sessionId),
                s -> s.status() == SessionStatus.TERMINATED ? s : s.terminated(clock.instant()),
                next -> sessions.update(next, next.version()),
                () -> new ConflictException("session_busy", "session " + sessionId + " is changing; retry"));
        dispatcher.sessionEnded(terminated.tenantId(), terminated.id());
        return terminated;
    }

    public Page<Session> list(Caller caller, int limit, String cursor) {
        try {
            return sessions.list(caller.tenantId(), limit, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
    }
}
