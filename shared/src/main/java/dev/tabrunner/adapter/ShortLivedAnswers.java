package dev.tabrunner.adapter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers read from a store, kept per key for a short while: a caller that asks often (the worker between a task's
 * actions, the frame loop per frame) reads the store about once per {@code ttl}, not once per question.
 */
public final class ShortLivedAnswers<V> {
    private record Kept<V>(V value, Instant until) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Kept<V>> kept = new ConcurrentHashMap<>();

    public ShortLivedAnswers(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The kept answer for {@code key}, or a fresh one from {@code read} when none is kept or it is too old. */
    public V get(String key, Function<String, V> read) {
        Instant now = clock.instant();
        Kept<V> k = kept.get(key);
        if (k != null && now.isBefore(k.until())) {
            return k.value();
        }
        V value = read.apply(key);
        kept.put(key, new Kept<>(value, now.plus(ttl)));
        return value;
    }

    /** Replaces the kept answer (what this process just changed itself), keeping its age. */
    public void replace(String key, Function<V, V> change) {
        kept.computeIfPresent(key, (k, v) -> new Kept<>(change.apply(v.value()), v.until()));
    }

    public void forget(String key) {
        kept.remove(key);
    }
}
