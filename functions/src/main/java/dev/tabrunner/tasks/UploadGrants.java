package dev.tabrunner.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.IdempotencyStore;
import jakarta.inject.Singleton;

import java.io.IOException;
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
 * The upload links of browser-use's presigned-URL endpoints (v1's {@code uploads/presigned-url}, v2's
 * {@code files/sessions/{id}/presigned-url}): browser-use hands out S3 presigned URLs; here the link points at this
 * server and carries a random token that stands for one upload of one file name by one tenant, into one place, for a
 * limited time, once.
 *
 * <p>The grants live in the idempotency store: it is the deployment's one store of small rows created
 * conditionally and expired by time (a DynamoDB table with TTL on AWS), which is what a grant needs, and it reaches
 * every API function. Only a hash of the token is stored. A grant is a completed entry (so that looking it up never
 * takes it over); its use is a second entry, created once.
 */
@Singleton
public final class UploadGrants {
    /** How long a link is good for: S3's presigned URLs default to 15 minutes too. */
    public static final Duration TTL = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdempotencyStore store;
    private final Clock clock;

    public UploadGrants(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * What a link allows: one upload of {@code fileName} until {@code expiresAt}.
     *
     * @param owner where the file goes (a session's id), or null for the place the dialect keeps for the tenant
     *              (v1's uploads)
     */
    public record Grant(String tenantId, String owner, String fileName, String contentType, Instant expiresAt) {
    }

    /** A new link's token, for a file of the tenant's own place (v1's uploads). */
    public String grant(String tenantId, String fileName, String contentType) {
        return grant(tenantId, null, fileName, contentType);
    }

    /** A new link's token, for a file that goes to {@code owner} (a session). */
    public String grant(String tenantId, String owner, String fileName, String contentType) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = clock.instant();
        Grant grant = new Grant(tenantId, owner, fileName, contentType, now.plus(TTL));
        byte[] stored;
        try {
            stored = Json.mapper().writeValueAsBytes(grant);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String key = grantKey(token);
        store.reserve(key, "upload-grant", now, TTL, TTL);
        store.complete(key, 200, stored);
        return token;
    }

    /**
     * Uses the link up: the grant, if the token names one that has not expired and was not used before; after this
     * no other call returns it.
     */
    public Optional<Grant> redeem(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = grantKey(token);
        // a grant is a completed entry, so this never takes it over: it only reads it
        Optional<IdempotencyStore.Entry> entry = store.reserve(key, "lookup", now, TTL, TTL.multipliedBy(4));
        if (entry.isEmpty()) {
            store.release(key); // no such grant: what this just reserved goes again
            return Optional.empty();
        }
        if (entry.get().status() == null || entry.get().body() == null) {
            return Optional.empty();
        }
        Grant grant;
        try {
            grant = Json.mapper().readValue(entry.get().body(), Grant.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!now.isBefore(grant.expiresAt())) {
            return Optional.empty();
        }
        // single use: of concurrent uploads with one link, only the one that creates this entry goes on
        if (store.reserve("upload_used/" + sha256(token), "used", now, TTL, TTL.multipliedBy(4)).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(grant);
    }

    /** Not a tenant's idempotency key: those start with the tenant id, which has no '_'. */
    private static String grantKey(String token) {
        return "upload_grant/" + sha256(token);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
