package dev.tabrunner.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers the response to each request sent with an {@code Idempotency-Key}, so that a retried request gets the
 * same answer instead of creating a second object.
 */
public interface IdempotencyStore {
    /**
     * What is stored under a key.
     *
     * @param fingerprint identifies the request (route and body) the key was first used with
     * @param status      the response status, or null while the first request is still being handled
     */
    record Entry(String fingerprint, Integer status, byte[] body) {
    }

    /**
     * Reserves the key for a request, unless it is already in use.
     *
     * @param staleAfter an unfinished reservation older than this was abandoned (its process died) and is taken over
     * @return empty when the key is now reserved for this request; otherwise what the key holds
     * @throws StoreUnavailableException when the store cannot be reached
     */
    Optional<Entry> reserve(String key, String fingerprint, Instant now, Duration keep, Duration staleAfter);

    /** Stores the response of the reserved request. */
    void complete(String key, int status, byte[] body);

    /** Gives the key up (the request failed before creating anything), so that a retry runs afresh. */
    void release(String key);
}
