package dev.tabrunner.connect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The links that open a session's browser without an API key (a browser's WebSocket cannot send one): a random
 * token in the link, bound to one session, one tenant and one use of it ({@link Purpose}). Only the token's SHA-256
 * is stored, as the name of a small object under the session's prefix in the blob store, so that listing the store
 * shows no working link and every link of a session can be revoked at once when it stops. A link either opens once
 * before a deadline (a native {@code …/connect}: the connection's task id is chosen when the link is made) or for
 * as long as its session is active (a v2 browser's {@code cdpUrl} and {@code liveUrl}).
 */
@Singleton
public final class ConnectLinks {
    private static final String ROOT = "connect/links/";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a link opens. A CDP link never opens a live view, nor a live-view link the CDP gateway. */
    public enum Purpose {
        /** the session's browser over CDP, through the gateway */
        CDP,
        /** the live view of whatever drives the session's browser (a person watches; nothing over CDP) */
        LIVE
    }

    /**
     * What a link grants: its session, for its tenant, as the key that made it (the connections it opens are tasks
     * made by that key).
     *
     * @param usableUntil  when the link stops opening anything, or null for as long as the session is active
     * @param connectionId the task id of the one connection a single-use link opens, or null for a link that opens
     *                     a new connection each time
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Grant(String tenantId, String keyId, String sessionId, Purpose purpose, Instant usableUntil,
                        String connectionId) {
        public Grant {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(purpose, "purpose");
        }

        /** Whether the link opens once only. */
        public boolean singleUse() {
            return connectionId != null;
        }
    }

    private final BlobStore blobs;
    private final Clock clock;

    ConnectLinks(BlobStore blobs, Clock clock) {
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * A new link's token: unguessable (256 random bits) and known only to the caller it is returned to.
     *
     * @param usableUntil  null for as long as the session is active
     * @param connectionId the one connection a single-use link opens, or null for a reusable link
     */
    public String issue(Caller caller, String sessionId, Purpose purpose, Instant usableUntil, String connectionId) {
        sweep(sessionId);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Grant grant = new Grant(caller.tenantId(), caller.keyId(), sessionId, purpose, usableUntil, connectionId);
        try {
            blobs.put(key(sessionId, token), Json.mapper().writeValueAsBytes(grant), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return token;
    }

    /**
     * What the token opens on this session for this purpose: empty for a token of another session or purpose, an
     * unknown or revoked one, or one past its deadline. A single-use link is used up by the call that finds it.
     * Reads no tenant: the token is the authorisation; the caller checks that the session is still active.
     */
    public Optional<Grant> resolve(String sessionId, String token, Purpose purpose) {
        if (sessionId == null || token == null || token.isEmpty() || !safe(sessionId)) {
            return Optional.empty();
        }
        String key = key(sessionId, token);
        Optional<Grant> grant = read(key);
        if (grant.isEmpty()) {
            return Optional.empty();
        }
        Grant g = grant.get();
        boolean expired = g.usableUntil() != null && !clock.instant().isBefore(g.usableUntil());
        if (expired || g.singleUse()) {
            blobs.delete(key);
        }
        if (expired || g.purpose() != purpose || !g.sessionId().equals(sessionId)) {
            return Optional.empty();
        }
        return Optional.of(g);
    }

    /** Every link of the session stops opening anything (the session stopped). */
    public void revokeAll(String sessionId) {
        if (safe(sessionId)) {
            blobs.list(ROOT + sessionId + "/").forEach(blobs::delete);
        }
    }

    /** Links of the session that can no longer open anything go; a session's links are few. */
    private void sweep(String sessionId) {
        Instant now = clock.instant();
        for (String key : blobs.list(ROOT + sessionId + "/")) {
            read(key).filter(g -> g.usableUntil() != null && !now.isBefore(g.usableUntil()))
                    .ifPresent(g -> blobs.delete(key));
        }
    }

    private Optional<Grant> read(String key) {
        return blobs.get(key).flatMap(bytes -> {
            try {
                return Optional.of(Json.mapper().readValue(bytes, Grant.class));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** A session id from a URL names a prefix: nothing that could climb out of it. */
    private static boolean safe(String sessionId) {
        return sessionId.matches("[A-Za-z0-9_-]{1,100}");
    }

    private static String key(String sessionId, String token) {
        return ROOT + sessionId + "/" + sha256(token) + ".json";
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
