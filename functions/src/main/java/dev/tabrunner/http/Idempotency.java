package dev.tabrunner.http;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.port.IdempotencyStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on the POSTs that create something: the first request with a key runs and its response is
 * kept for a day; a retry with the same key and the same request gets that response again (marked
 * {@code Idempotent-Replayed: true}) without creating anything; the same key with a different request is refused
 * with 422. Keys belong to the tenant. A request that fails before creating anything (validation, a missing
 * session) keeps nothing, so its retry runs afresh.
 */
@Singleton
public final class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    private static final Duration KEEP = Duration.ofHours(24);
    private static final Duration STALE = Duration.ofMinutes(5);
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;
    private final JsonMapper json;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, JsonMapper json, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code action} once per key.
     *
     * @param route   identifies the operation (method and path), part of what a key is bound to
     * @param request the request's body, or whatever else identifies it (only its hash is kept)
     * @param keep    what of the response may be kept for a replay (the identity function, or one that removes a
     *                secret shown only once)
     */
    public HttpResponse<?> once(Caller caller, @Nullable String key, String route, byte[] request,
                                Supplier<HttpResponse<?>> action,
                                java.util.function.UnaryOperator<Object> keep) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ApiException(400, "invalid_request", HEADER + ": must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters", Map.of("field", HEADER));
        }
        String id = caller.tenantId() + ":" + sha256(key.getBytes(StandardCharsets.UTF_8));
        String fingerprint = sha256((route + "\n" + sha256(request)).getBytes(StandardCharsets.UTF_8));
        Optional<IdempotencyStore.Entry> existing = store.reserve(id, fingerprint, clock.instant(), KEEP, STALE);
        if (existing.isPresent()) {
            return replay(existing.get(), fingerprint);
        }
        HttpResponse<?> response;
        try {
            response = action.get();
        } catch (RuntimeException e) {
            store.release(id);
            throw e;
        }
        try {
            Object body = response.getBody().map(keep).orElse(null);
            store.complete(id, response.code(), body == null ? new byte[0] : json.writeValueAsBytes(body));
        } catch (IOException e) {
            store.release(id);
            throw new IllegalStateException("could not keep the response for " + HEADER, e);
        }
        return response;
    }

    /** {@link #once} keeping the whole response. */
    public HttpResponse<?> once(Caller caller, @Nullable String key, String route, byte[] request,
                                Supplier<HttpResponse<?>> action) {
        return once(caller, key, route, request, action, b -> b);
    }

    /** {@link #once} for a JSON or text body. */
    public HttpResponse<?> once(Caller caller, @Nullable String key, String route, @Nullable String body,
                                Supplier<HttpResponse<?>> action) {
        return once(caller, key, route, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), action);
    }

    private static HttpResponse<?> replay(IdempotencyStore.Entry entry, String fingerprint) {
        if (entry.fingerprint() != null && !entry.fingerprint().equals(fingerprint)) {
            throw new ApiException(422, "idempotency_key_reused", "this " + HEADER
                    + " was used with a different request; use a new key for a new request");
        }
        if (entry.status() == null) {
            throw new ApiException(409, "idempotency_key_in_progress", "a request with this " + HEADER
                    + " is still being handled; retry shortly", Map.of("retryAfterSeconds", 1));
        }
        HttpResponse<?> r = HttpResponse.status(HttpStatus.valueOf(entry.status()))
                .header("Idempotent-Replayed", "true");
        if (entry.body() != null && entry.body().length > 0) {
            return HttpResponse.status(HttpStatus.valueOf(entry.status())).header("Idempotent-Replayed", "true")
                    .contentType(MediaType.APPLICATION_JSON_TYPE).body(entry.body());
        }
        return r;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
