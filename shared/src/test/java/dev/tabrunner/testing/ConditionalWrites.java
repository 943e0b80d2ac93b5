package dev.tabrunner.testing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The in-memory stores' conditional write: what a DynamoDB condition expression does, as one atomic step. */
final class ConditionalWrites {
    private ConditionalWrites() {
    }

    /**
     * Replaces the value under {@code key} with {@code next} if there is one and {@code condition} holds for it.
     *
     * @return false when the key is absent or the condition failed: the caller's conflict
     */
    static <K, V> boolean replaceIf(ConcurrentHashMap<K, V> map, K key, Predicate<V> condition, V next) {
        boolean[] written = {false};
        map.computeIfPresent(key, (k, current) -> {
            if (!condition.test(current)) {
                return current;
            }
            written[0] = true;
            return next;
        });
        return written[0];
    }
}
