package dev.tabrunner.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.BrowserConnections;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.tasks.TaskService;
import dev.tabrunner.tasks.TaskSubmission;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CDP connect: a connection is a task of the session ({@link TaskRecord#KIND_CONNECTION}) that the worker runs by
 * offering the session's browser context to the gateway ({@link CdpGateway}) until the client leaves. A link
 * ({@link ConnectLinks}) carries a token bound to the session; the connection's task is made when a client opens
 * the link (the WebSocket handshake), not when the link is made, so that the session is held only while a client is
 * there. A native link opens once and soon; a v2 browser's opens a new connection each time, one client at a time,
 * for as long as the session is active.
 */
@Singleton
public final class ConnectService {
    /** How long a native link may wait for its client. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(2);
    /** How long the worker waits for the client that opened the link (it is already there when the task is made). */
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(30);

    private final SessionService sessions;
    private final SessionStore sessionStore;
    private final TaskSubmission submission;
    private final TaskStore tasks;
    private final TaskService taskService;
    private final BrowserConnections connections;
    private final ApiKeyStore apiKeys;
    private final ConnectLinks links;
    private final Clock clock;
    /** The links with a client on them now (by their token's hash), and its connection: one client per link. */
    private final Map<String, String> inUse = new ConcurrentHashMap<>();

    ConnectService(SessionService sessions, SessionStore sessionStore, TaskSubmission submission, TaskStore tasks,
                   TaskService taskService, BrowserConnections connections, ConnectLinks links, ApiKeyStore apiKeys,
                   Clock clock) {
        this.apiKeys = apiKeys;
        this.sessions = sessions;
        this.sessionStore = sessionStore;
        this.submission = submission;
        this.tasks = tasks;
        this.taskService = taskService;
        this.connections = connections;
        this.links = links;
        this.clock = clock;
    }

    /** A new connection's link. */
    public record Link(String connectionId, String path, Instant expiresAt) {
    }

    /**
     * The links of a browser a client drives for the session's whole life: both reusable, both revoked when the
     * session stops ({@link #close}).
     *
     * @param cdpPath  the gateway's path with its token: a new connection each time it is opened, one at a time
     * @param livePath a person's view of whatever drives the browser ({@link SessionLiveController})
     */
    public record BrowserLinks(String cdpPath, String livePath) {
    }

    /** Whether this deployment can relay a client to a session's browser. */
    public boolean available() {
        return connections.available();
    }

    /**
     * A single-use link to the session, to be opened within {@link #LINK_LIFETIME}; the session is busy from when a
     * client opens it (after the session's running task, if any) until the client has left.
     *
     * @throws ApiException 501 on a deployment whose workers take no inbound connections; 404 for a session the
     *                      caller's tenant does not have, or one that ended
     */
    public Link connect(Caller caller, String sessionId) {
        requireAvailable();
        Session session = sessions.requireActive(caller, sessionId);
        Instant expiresAt = clock.instant().plus(LINK_LIFETIME);
        String connectionId = UUID.randomUUID().toString();
        String token = links.issue(caller, session.id(), ConnectLinks.Purpose.CDP, expiresAt, connectionId);
        return new Link(connectionId, cdpPath(session.id(), token), expiresAt);
    }

    /**
     * Reusable links to the session's browser, for as long as it is active.
     *
     * @throws ApiException 501 on a deployment whose workers take no inbound connections
     */
    public BrowserLinks browserLinks(Caller caller, Session session) {
        requireAvailable();
        String cdp = links.issue(caller, session.id(), ConnectLinks.Purpose.CDP, null, null);
        String live = links.issue(caller, session.id(), ConnectLinks.Purpose.LIVE, null, null);
        return new BrowserLinks(cdpPath(session.id(), cdp), SessionLiveController.path(session.id(), live));
    }

    /**
     * The session stopped: its links open nothing any more, and a client still connected is sent away (its
     * connection is stopped, which saves the session's state as after any task).
     */
    public void close(Caller caller, String sessionId) {
        links.revokeAll(sessionId);
        String cursor = null;
        do {
            Page<TaskRecord> page = tasks.listBySession(caller.tenantId(), sessionId, 100, cursor);
            for (TaskRecord t : page.items()) {
                if (TaskRecord.KIND_CONNECTION.equals(t.kind()) && !t.status().isTerminal()) {
                    try {
                        taskService.stop(caller, sessionId, t.id());
                    } catch (ConflictException | NotFoundException e) {
                        // it ended, or another stop came first
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private void requireAvailable() {
        if (!connections.available()) {
            throw new ApiException(501, "not_available_on_this_deployment", "CDP connect needs a worker that takes"
                    + " connections (the local server); on AWS the worker is a Lambda function, which takes none");
        }
    }

    private static String cdpPath(String sessionId, String token) {
        return "/browser/sessions/" + sessionId + "/cdp?token=" + token;
    }

    /** How long an idle session's live view stays open, unless the person presses Done first. */
    static final Duration VIEW_LIFETIME = Duration.ofMinutes(10);
    /** How long {@link #watch} waits for the worker to open the view before answering without its URL. */
    private static final Duration VIEW_WAIT = Duration.ofSeconds(10);

    /** An idle session's live view: its URL once the worker opened it, else null (poll the task for it). */
    public record View(String taskId, String liveViewUrl) {
    }

    /**
     * Opens a live view of the session's page for a person: a task of the session ({@link TaskRecord#KIND_CONNECTION}
     * with {@code watch}) that holds the session while the view is open (10 minutes, or until Done or a stop), so
     * that what the person does is saved like a task's work. Works on every deployment.
     *
     * @throws ApiException 404 for a session the caller's tenant does not have; 410 for one that ended
     */
    public View watch(Caller caller, String sessionId) {
        Session session = sessions.requireActive(caller, sessionId);
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("watch", true);
        request.put("viewMs", VIEW_LIFETIME.toMillis());
        TaskRecord task = submission.submit(caller, session, TaskRecord.KIND_CONNECTION, request,
                TaskSecrets.none(), null);
        long deadline = System.nanoTime() + VIEW_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TaskRecord> now = tasks.findForWorker(task.id());
            if (now.isEmpty() || now.get().status().isTerminal()) {
                break;
            }
            if (now.get().liveViewUrl() != null) {
                return new View(task.id(), now.get().liveViewUrl());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new View(task.id(), null);
    }

    /** What opening a link gives the gateway's client. */
    sealed interface Opening permits Opened, Refused {
    }

    /**
     * The connection made for the client: its task is submitted and will offer the session's context.
     *
     * @param ended called once when the client is gone (or never got the session): the link takes a client again
     */
    record Opened(String connectionId, Runnable ended) implements Opening {
    }

    /** The link opens nothing now; the client's socket is closed with this code and reason. */
    record Refused(int code, String reason) implements Opening {
    }

    /**
     * Opens the link for a client that has just connected: the token must be a CDP link of this very session, the
     * session active, and no other client on the link; then the connection's task is made, as by the link's maker.
     * Reads no tenant from the request: the token is the authorisation. Nothing here logs the token.
     */
    Opening open(String sessionId, String token) {
        Optional<ConnectLinks.Grant> found;
        try {
            found = links.resolve(sessionId, token, ConnectLinks.Purpose.CDP);
        } catch (RuntimeException e) {
            return new Refused(1011, "the link could not be checked; try again");
        }
        if (found.isEmpty()) {
            return new Refused(4404, "unknown or expired connect link");
        }
        ConnectLinks.Grant grant = found.get();
        if (!keyStands(grant)) {
            return new Refused(4403, "the API key that made this link was deleted; its links open nothing");
        }
        Caller caller = new Caller(grant.keyId(), grant.tenantId(), Role.USER);
        Optional<Session> session = sessionStore.find(grant.tenantId(), sessionId)
                .filter(s -> s.statusAt(clock.instant()) == SessionStatus.ACTIVE);
        if (session.isEmpty()) {
            return new Refused(4410, "the session has ended; its links open nothing");
        }
        String link = ConnectLinks.sha256(token);
        String connectionId = grant.singleUse() ? grant.connectionId() : UUID.randomUUID().toString();
        if (inUse.putIfAbsent(link, connectionId) != null) {
            return new Refused(4409, "another client is connected with this link; one at a time");
        }
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("connectBy", clock.instant().plus(CLIENT_WAIT).toString());
        try {
            submission.submit(caller, session.get(), TaskRecord.KIND_CONNECTION, request, TaskSecrets.none(), null,
                    connectionId, null);
        } catch (ApiException e) {
            inUse.remove(link, connectionId);
            return new Refused(e.status() == 429 ? 4429 : 1011, e.getMessage());
        } catch (RuntimeException e) {
            inUse.remove(link, connectionId);
            return new Refused(1011, "the connection could not be started; try again");
        }
        return new Opened(connectionId, () -> inUse.remove(link, connectionId));
    }

    /**
     * The client gave up before the worker offered the session (it was busy): the connection's task is stopped,
     * so that it does not take the session's turn for nobody.
     */
    void abandon(String connectionId) {
        tasks.findForWorker(connectionId).filter(t -> !t.status().isTerminal()).ifPresent(t -> {
            try {
                taskService.stop(new Caller(t.createdBy() == null ? "connect-link" : t.createdBy(),
                        t.tenantId(), Role.USER), t.sessionId(), t.id());
            } catch (ConflictException | NotFoundException e) {
                // it ended meanwhile
            }
        });
    }

    /** What a live-view link of a session shows now. */
    sealed interface Live permits Live.Gone, Live.Idle, Live.Watching {
        /** an unknown link, or its session ended */
        record Gone() implements Live {
        }

        /** the session is active and nothing drives its browser now */
        record Idle() implements Live {
        }

        /** a connection or task drives the browser and has its live view open at {@code url} */
        record Watching(String url) implements Live {
        }
    }

    /** A link acts as the key that made it: a key deleted since (revoked, rotated) takes its links with it. */
    private boolean keyStands(ConnectLinks.Grant grant) {
        return apiKeys.find(grant.keyId()).filter(k -> k.tenantId().equals(grant.tenantId())).isPresent();
    }

    /** Where a session's live-view link leads now. */
    Live live(String sessionId, String token) {
        Optional<ConnectLinks.Grant> grant = links.resolve(sessionId, token, ConnectLinks.Purpose.LIVE)
                .filter(this::keyStands);
        Optional<Session> session = grant.flatMap(g -> sessionStore.find(g.tenantId(), sessionId))
                .filter(s -> s.statusAt(clock.instant()) == SessionStatus.ACTIVE);
        if (session.isEmpty()) {
            return new Live.Gone();
        }
        Session s = session.get();
        return Optional.ofNullable(s.activeTaskId()).flatMap(id -> tasks.find(s.tenantId(), id))
                .filter(t -> !t.status().isTerminal() && t.liveViewUrl() != null)
                .<Live>map(t -> new Live.Watching(t.liveViewUrl())).orElseGet(Live.Idle::new);
    }
}
