package dev.tabrunner.adapter.local;

import dev.tabrunner.port.RateLimiter;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed one-second window per tenant, in memory: exact for the one-JVM local server, where every request passes
 * through this process.
 */
public final class InMemoryRateLimiter implements RateLimiter {
    private final int perSecond;
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    public InMemoryRateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    @Override
    public Optional<Duration> acquire(String tenantId, Instant now) {
        long second = now.getEpochSecond();
        long[] w = windows.compute(tenantId, (k, v) -> {
            if (v == null || v[0] != second) {
                return new long[]{second, 1};
            }
            v[1]++;
            return v;
        });
        if (w[1] <= perSecond) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(second + 1).minus(Duration.ofSeconds(now.getEpochSecond(),
                now.getNano())));
    }
}
