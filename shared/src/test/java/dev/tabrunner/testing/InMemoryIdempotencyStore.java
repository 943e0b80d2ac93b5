package dev.tabrunner.testing;

import dev.tabrunner.port.IdempotencyStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotency keys in memory, for unit tests of the {@code Idempotency-Key} handling. Behaves as
 * {@code IdempotencyStoreContract} pins the DynamoDB adapter down: one reservation per key, an unfinished one taken
 * over once stale (compared in milliseconds, as the adapter stores them), completed responses kept. Like the adapter,
 * it does not itself forget keys after {@code keep} (DynamoDB's TTL does that on AWS, eventually). Thread-safe.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Stored(String fingerprint, long createdAtMillis, Integer status, byte[] body) {
        Entry entry() {
            return new Entry(fingerprint, status, body == null ? null : body.clone());
        }
    }

    private final ConcurrentHashMap<String, Stored> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<Entry> reserve(String key, String fingerprint, Instant now, Duration keep, Duration staleAfter) {
        long staleBefore = now.minus(staleAfter).toEpochMilli();
        Entry[] existing = {null};
        entries.compute(key, (k, current) -> {
            if (current == null || current.status() == null && current.createdAtMillis() < staleBefore) {
                return new Stored(fingerprint, now.toEpochMilli(), null, null);
            }
            existing[0] = current.entry();
            return current;
        });
        return Optional.ofNullable(existing[0]);
    }

    @Override
    public void complete(String key, int status, byte[] body) {
        // like the adapter's unconditional update: a key that was not reserved gets a response without a fingerprint
        entries.compute(key, (k, current) -> new Stored(current == null ? null : current.fingerprint(),
                current == null ? 0 : current.createdAtMillis(), status, body.clone()));
    }

    @Override
    public void release(String key) {
        entries.computeIfPresent(key, (k, current) -> current.status() == null ? null : current);
    }
}
