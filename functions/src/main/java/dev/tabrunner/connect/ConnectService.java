package dev.tabrunner.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BrowserConnections;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.tasks.TaskSubmission;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * CDP connect: a connection is a task of the session ({@link TaskRecord#KIND_CONNECTION}) that the worker runs by
 * offering the session's browser context to the gateway ({@link CdpGateway}) until the client leaves. Its link
 * carries a token of its own, single-use and short-lived: the task id and a secret whose SHA-256 the task keeps, so
 * that the link opens this connection of this session and nothing else.
 */
@Singleton
public final class ConnectService {
    /** How long a link may wait for its client. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionService sessions;
    private final TaskSubmission submission;
    private final TaskStore tasks;
    private final BrowserConnections connections;
    private final Clock clock;

    ConnectService(SessionService sessions, TaskSubmission submission, TaskStore tasks,
                   BrowserConnections connections, Clock clock) {
        this.sessions = sessions;
        this.submission = submission;
        this.tasks = tasks;
        this.connections = connections;
        this.clock = clock;
    }

    /** A new connection's link. */
    public record Link(String connectionId, String path, Instant expiresAt) {
    }

    /**
     * Starts a connection to the session: the session is busy from when the worker runs it (after the session's
     * running task, if any) until the client has left, or the link expired unused.
     *
     * @throws ApiException 501 on a deployment whose workers take no inbound connections; 404 for a session the
     *                      caller's tenant does not have; 410 for one that ended
     */
    public Link connect(Caller caller, String sessionId) {
        if (!connections.available()) {
            throw new ApiException(501, "not_available_on_this_deployment", "CDP connect needs a worker that takes"
                    + " connections (the local server); on AWS the worker is a Lambda function, which takes none");
        }
        Session session = sessions.requireActive(caller, sessionId);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expiresAt = clock.instant().plus(LINK_LIFETIME);
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("connectBy", expiresAt.toString());
        request.put("tokenSha256", sha256(secret));
        TaskRecord task = submission.submit(caller, session, TaskRecord.KIND_CONNECTION, request,
                TaskSecrets.none(), null);
        String token = task.id() + "." + secret;
        return new Link(task.id(), "/browser/sessions/" + session.id() + "/cdp?token=" + token, expiresAt);
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

    /**
     * The connection a link opens: the token's task is a connection of this very session that has not ended, the
     * link has not expired and the secret is the task's. Reads no tenant: the token is the authorisation.
     */
    Optional<String> connectionFor(String sessionId, String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        String taskId = token.substring(0, dot);
        String secret = token.substring(dot + 1);
        Optional<TaskRecord> found;
        try {
            found = tasks.findForWorker(taskId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return found.filter(t -> TaskRecord.KIND_CONNECTION.equals(t.kind()))
                .filter(t -> t.sessionId().equals(sessionId))
                .filter(t -> !t.status().isTerminal())
                .filter(t -> clock.instant().isBefore(Instant.parse(t.request().path("connectBy").asText())))
                .filter(t -> MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII),
                        t.request().path("tokenSha256").asText().getBytes(StandardCharsets.US_ASCII)))
                .map(TaskRecord::id);
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
