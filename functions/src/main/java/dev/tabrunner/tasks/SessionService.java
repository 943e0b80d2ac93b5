package dev.tabrunner.tasks;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskDispatcher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** Creates, reads, lists and terminates sessions, always inside the caller's tenant, and attaches environments. */
@Singleton
public final class SessionService {
    private static final int TERMINATE_ATTEMPTS = 5;

    private final SessionStore sessions;
    private final Clock clock;
    private final ApiSettings settings;
    private final EnvironmentService environments;
    private final TaskDispatcher dispatcher;

    public SessionService(SessionStore sessions, Clock clock, ApiSettings settings,
                          EnvironmentService environments, TaskDispatcher dispatcher) {
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
        this.environments = environments;
        this.dispatcher = dispatcher;
    }

    /**
     * A new active session with these options; with an environment, it starts from the environment's browser state
     * and files.
     *
     * @throws ApiException      429 when the tenant has as many active sessions as it may
     * @throws NotFoundException {@code environment_not_found} for an environment the tenant does not have
     */
    public Session create(Caller caller, SessionOptions options) {
        Instant now = clock.instant();
        if (options.environmentId() != null) {
            environments.requireExists(caller.tenantId(), options.environmentId());
        }
        Session session = new Session(UUID.randomUUID().toString(), caller.tenantId(), SessionStatus.ACTIVE, now, now,
                options, null, null, null, null, 0);
        try {
            // the limit is a condition of the write itself: concurrent creations cannot both take the last place
            sessions.create(session, settings.maxSessions());
        } catch (LimitReachedException e) {
            throw tooMany();
        }
        if (options.environmentId() == null) {
            return session;
        }
        try {
            return environments.startFrom(session);
        } catch (RuntimeException e) {
            // deleted meanwhile, or the store failed: a session that did not get its environment is no session
            terminate(caller, session.id());
            throw e;
        }
    }

    /**
     * Attaches an environment to a session that has none (seed 001's {@code environmentId} on a task, "to attach to
     * the session"): the session then starts from it as if it had been created with it. Naming the environment the
     * session already has changes nothing.
     *
     * @throws ConflictException {@code environment_conflict} when the session has another environment, or browser
     *                           state of its own already (a task ran in it)
     * @throws NotFoundException {@code environment_not_found} for an environment the tenant does not have
     */
    public Session attach(Session session, String environmentId) {
        String current = session.options().environmentId();
        if (environmentId.equals(current)) {
            return session;
        }
        if (current != null) {
            throw new ConflictException("environment_conflict", "session " + session.id() + " started from"
                    + " environment " + current + "; a session keeps the environment it started from");
        }
        if (session.stateKey() != null || session.currentUrl() != null) {
            throw new ConflictException("environment_conflict", "session " + session.id() + " has browser state"
                    + " of its own already; attach an environment when creating the session (environmentId on"
                    + " POST /browser/sessions) or with its first task");
        }
        environments.requireExists(session.tenantId(), environmentId);
        Session attached = sessions.update(session.withOptions(session.options().withEnvironment(environmentId)),
                session.version());
        return environments.startFrom(attached);
    }

    /**
     * The active session known by an id a dialect derives from a name the caller chose (a browsing
     * {@code session_key}): the existing one while it is active; otherwise a new generation under the same id,
     * without browser state and with {@code options}, as if created now. Concurrent callers get one session.
     *
     * @throws ApiException 429 when a new generation would exceed the tenant's active sessions
     */
    public Session activeNamed(Caller caller, String id, SessionOptions options) {
        for (int attempt = 0; attempt < TERMINATE_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Optional<Session> found = sessions.find(caller.tenantId(), id);
            if (found.isPresent() && found.get().statusAt(now) == SessionStatus.ACTIVE) {
                return found.get();
            }
            Session fresh = new Session(id, caller.tenantId(), SessionStatus.ACTIVE, now, now, options, null, null,
                    null, null, found.map(Session::version).orElse(0L));
            try {
                if (found.isEmpty()) {
                    sessions.create(fresh, settings.maxSessions());
                    return fresh;
                }
                return sessions.renew(fresh, found.get().version(), settings.maxSessions());
            } catch (LimitReachedException e) {
                throw tooMany();
            } catch (ConflictException e) {
                // another request made or renewed it first: use that one
            }
        }
        throw new ConflictException("session_busy", "session " + id + " is changing; retry");
    }

    private ApiException tooMany() {
        return new ApiException(429, "too_many_sessions", "this tenant has " + settings.maxSessions()
                + " active sessions, its limit; terminate one (DELETE /browser/sessions/{id}) or wait for one"
                + " to expire", Map.of("retryAfterSeconds", 10));
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
            // seed 000 answers 404 for a session that is not there to run tasks; the code says why
            throw new NotFoundException("session_" + status.wireName(), "session " + sessionId + " is "
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

    /**
     * Terminates the session; the call that ends it writes its browser state back into its environment, if it has
     * one (the worker already did after each task: this also keeps the state of a task paused when the session
     * ended), and a worker keeping its browser context warm is told it may close it now.
     */
    public Session terminate(Caller caller, String sessionId) {
        AtomicBoolean ends = new AtomicBoolean();
        Session s = ConditionalWrites.untilWritten(TERMINATE_ATTEMPTS, () -> get(caller, sessionId),
                current -> {
                    ends.set(current.status() != SessionStatus.TERMINATED);
                    return ends.get() ? current.terminated(clock.instant()) : current;
                },
                next -> sessions.update(next, next.version()),
                () -> new ConflictException("session_busy", "session " + sessionId + " is changing; retry"));
        if (ends.get()) {
            environments.saveFrom(s);
        }
        dispatcher.sessionEnded(s.tenantId(), s.id());
        return s;
    }

    public Page<Session> list(Caller caller, int limit, String cursor) {
        try {
            return sessions.list(caller.tenantId(), limit, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
    }
}
