package dev.tabrunner.http;

import dev.tabrunner.domain.Caller;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One log line per request: method, route (the template, so ids stay out of the log), status, duration, tenant and
 * request id - never a header's value, a key or a body. The request id is the caller's {@code X-Request-Id} when it
 * is well-formed, a new one otherwise, and is returned in that header. Runs before every other filter, so answers
 * the auth filter gives (401, 429) are logged and carry the id too.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestLog implements Ordered {
    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "tabrunner.requestId";
    private static final String STARTED = "tabrunner.requestStarted";
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);
    /** What a caller's id may look like: short, and nothing a log reader could mistake for structure. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }

    @RequestFilter
    void begin(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
        request.setAttribute(ATTRIBUTE, requestId(request.getHeaders().get(HEADER)));
    }

    static String requestId(String given) {
        return given != null && WELL_FORMED.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    @ResponseFilter
    void end(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String id = request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> requestId(null));
        response.header(HEADER, id);
        long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
        String tenant = request.getAttribute(Callers.ATTRIBUTE, Caller.class).map(Caller::tenantId).orElse("-");
        LOG.atInfo().addKeyValue("event", "request").addKeyValue("method", request.getMethodName())
                .addKeyValue("route", route(request)).addKeyValue("status", response.code())
                .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000)
                .addKeyValue("tenant", tenant).addKeyValue("requestId", id)
                .log("request");
    }

    /** The matched route's template ({@code /browser/sessions/{sessionId}}); {@code -} when nothing matched. */
    private static String route(HttpRequest<?> request) {
        return RouteAttributes.getRouteInfo(request)
                .filter(UriRouteInfo.class::isInstance)
                .map(r -> ((UriRouteInfo<?, ?>) r).getUriMatchTemplate().toPathString())
                .orElse("-");
    }
}
