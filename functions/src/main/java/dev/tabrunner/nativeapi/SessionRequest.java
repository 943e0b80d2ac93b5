package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /browser/sessions} (and the session fields of {@code POST /browser/run-task}), checked
 * into the session's options: the first problem is refused as a 400 naming its field.
 */
final class SessionRequest {
    static final Set<String> FIELDS = Set.of("viewport", "userAgent", "locale", "timezoneId", "inactivityTimeoutMs");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    private SessionRequest() {
    }

    /** @throws ApiException 400 naming the first field that is unknown or wrong */
    static SessionOptions read(JsonNode body) {
        RequestBodies.allowOnly(body, FIELDS);
        Viewport viewport = Viewport.DEFAULT;
        JsonNode v = body.get("viewport");
        if (v != null && !v.isNull()) {
            if (!v.isObject()) {
                throw ApiException.badRequest("viewport", "must be an object {width, height}");
            }
            viewport = new Viewport(intField(v, "viewport.width", "width", Viewport.DEFAULT.width()),
                    intField(v, "viewport.height", "height", Viewport.DEFAULT.height()));
        }
        String userAgent = RequestBodies.optionalString(body, "userAgent", 1024);
        if (userAgent != null && !SessionOptions.validUserAgent(userAgent)) {
            throw ApiException.badRequest("userAgent", "must be one line without control characters");
        }
        String locale = RequestBodies.optionalString(body, "locale", 35);
        if (locale != null && !LOCALE.matcher(locale).matches()) {
            throw ApiException.badRequest("locale", "must be a BCP 47 language tag such as en-US");
        }
        String timezone = RequestBodies.optionalString(body, "timezoneId", 64);
        if (timezone != null) {
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                throw ApiException.badRequest("timezoneId", "must be an IANA time zone such as Europe/Paris");
            }
        }
        long inactivity = SessionOptions.DEFAULT_INACTIVITY_TIMEOUT_MS;
        JsonNode t = body.get("inactivityTimeoutMs");
        if (t != null && !t.isNull()) {
            // canConvertTo...: a number past the type's range would otherwise wrap around into the valid range
            if (!t.isIntegralNumber() || !t.canConvertToLong()
                    || t.longValue() < SessionOptions.MIN_INACTIVITY_TIMEOUT_MS
                    || t.longValue() > SessionOptions.MAX_INACTIVITY_TIMEOUT_MS) {
                throw ApiException.badRequest("inactivityTimeoutMs", "must be an integer between "
                        + SessionOptions.MIN_INACTIVITY_TIMEOUT_MS + " and "
                        + SessionOptions.MAX_INACTIVITY_TIMEOUT_MS);
            }
            inactivity = t.longValue();
        }
        return new SessionOptions(viewport, userAgent, locale, timezone, inactivity);
    }

    private static int intField(JsonNode node, String path, String field, int fallback) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < Viewport.MIN
                || n.intValue() > Viewport.MAX) {
            throw ApiException.badRequest(path, "must be an integer between " + Viewport.MIN + " and " + Viewport.MAX);
        }
        return n.intValue();
    }
}
