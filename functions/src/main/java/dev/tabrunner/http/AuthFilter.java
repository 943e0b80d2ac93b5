package dev.tabrunner.http;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.port.RateLimiter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every route but {@code /health} and the token-guarded pages dialects declare (live view, public share) needs
 * {@code Authorization: Bearer <key>}, or the key in the header the path's dialect names (browser-use v2's
 * {@code X-Browser-Use-API-Key}). Runs before routing so that an unauthenticated caller learns nothing, not
 * even which paths exist; its answers are in the error format of the dialect the path belongs to.
 */
@ServerFilter
final class AuthFilter {
    private final KeyAuthenticator keys;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final Dialects dialects;

    AuthFilter(KeyAuthenticator keys, RateLimiter rateLimiter, Clock clock, Dialects dialects) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.dialects = dialects;
    }

    /**
     * Not on the CDP gateway's WebSocket, which its link's token authorises: a WebSocket handshake whose filters
     * hop to another thread lets a client's first frame reach the HTTP pipeline before Micronaut has swapped it
     * for the WebSocket's (micronaut-core PR 12528), and CDP clients send theirs at once.
     */
    @RequestFilter(patternStyle = FilterPatternStyle.REGEX, patterns = "^(?!/browser/sessions/[^/]+/cdp$).*")
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    HttpResponse<?> authenticate(HttpRequest<?> request) {
        String path = request.getPath();
        if (dialects.isPublic(path)) {
            return null;
        }
        Optional<String> keyHeader = dialects.apiKeyHeader(path);
        String key = keyHeader.map(name -> request.getHeaders().get(name)).filter(k -> !k.isBlank())
                .map(String::trim).orElse(null);
        String header = request.getHeaders().getAuthorization().orElse(null);
        if (key == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = header.substring(7).trim();
        }
        if (key == null) {
            return unauthorized(path, "missing API key: send Authorization: Bearer <key>"
                    + keyHeader.map(name -> " or " + name + ": <key>").orElse(""));
        }
        Optional<Caller> caller = keys.authenticate(key);
        if (caller.isEmpty()) {
            return unauthorized(path, "invalid or revoked API key");
        }
        Optional<Duration> wait = rateLimiter.acquire(caller.get().tenantId(), clock.instant());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return answer(path, 429, "rate_limited", "this tenant is over its request rate; retry after " + seconds
                    + " s").header("Retry-After", Long.toString(seconds));
        }
        request.setAttribute(Callers.ATTRIBUTE, caller.get());
        return null;
    }

    private HttpResponse<?> unauthorized(String path, String message) {
        return answer(path, 401, "unauthorized", message).header("WWW-Authenticate", "Bearer");
    }

    private MutableHttpResponse<Object> answer(String path, int status, String code, String message) {
        return ApiExceptionHandlers.respond(dialects.errorFormat(path).answer(status, code, message, Map.of()));
    }
}
