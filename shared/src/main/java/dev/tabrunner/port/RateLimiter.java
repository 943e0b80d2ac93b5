package dev.tabrunner.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Requests per second, per tenant. */
public interface RateLimiter {
    /**
     * Counts one request of the tenant.
     *
     * @return empty when the request may proceed, otherwise how long the tenant should wait
     * @throws StoreUnavailableException when the count could not be kept
     */
    Optional<Duration> acquire(String tenantId, Instant now);
}
