package dev.tabrunner.api;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.port.RateLimiter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every route but {@code /health} and the token-guarded live view needs {@code Authorization: Bearer <key>}.
 * Runs before routing so that an unauthenticated caller learns nothing, not even which paths exist.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class AuthFilter {
    private final ApiKeyService keys;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    AuthFilter(ApiKeyService keys, RateLimiter rateLimiter, Clock clock) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.equals("/health") || path.startsWith("/live/") || path.startsWith("/share/")) {
            // /live/ and /share/ pages authorise with their own token (LiveViewController, PublicShareController)
            return null;
        }
        String header = request.getHeaders().getAuthorization().orElse(null);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized(path, "missing API key: send Authorization: Bearer <key>");
        }
        Optional<Caller> caller = keys.authenticate(header.substring(7).trim());
        if (caller.isEmpty()) {
            return unauthorized(path, "invalid or revoked API key");
        }
        Optional<Duration> wait = rateLimiter.acquire(caller.get().tenantId(), clock.instant());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                    .body(ErrorBodies.forPath(path, 429, "rate_limited", "this tenant is over its request rate;"
                            + " retry after " + seconds + " s", Map.of()));
        }
        request.setAttribute(Callers.ATTRIBUTE, caller.get());
        return null;
    }

    private static HttpResponse<?> unauthorized(String path, String message) {
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).header("WWW-Authenticate", "Bearer")
                .body(ErrorBodies.forPath(path, 401, "unauthorized", message, Map.of()));
    }
}
