package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.json.JsonNumbers;
import dev.tabrunner.recording.Recordings;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /browser/sessions} (and the session fields of {@code POST /browser/run-task}), checked
 * into the session's options: the first problem is refused as a 400 naming its field.
 */
final class SessionRequest {
    /** The options only a session has. */
    static final Set<String> FIELDS = Set.of("viewport", "userAgent", "locale", "timezoneId", "inactivityTimeoutMs");
    /**
     * What a session has in common with an agent task's body: the domains its browser may reach, the
     * environment it starts from (seed 001's top-level {@code environmentId}, "to attach to the session"), and whether
     * its tasks are recorded.
     */
    static final Set<String> SHARED_WITH_TASKS = Set.of("allowedDomains", "environmentId", Recordings.FIELD);
    private static final Set<String> ALL;

    static {
        Set<String> all = new HashSet<>(FIELDS);
        all.addAll(SHARED_WITH_TASKS);
        ALL = Set.copyOf(all);
    }
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    private SessionRequest() {
    }

    /** @throws ApiException 400 naming the first field that is unknown or wrong */
    static SessionOptions read(JsonNode body) {
        RequestBodies.allowOnly(body, ALL);
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
        long inactivity = integer(body, "inactivityTimeoutMs", "inactivityTimeoutMs",
                SessionOptions.DEFAULT_INACTIVITY_TIMEOUT_MS, SessionOptions.MIN_INACTIVITY_TIMEOUT_MS,
                SessionOptions.MAX_INACTIVITY_TIMEOUT_MS);
        List<String> allowedDomains;
        try {
            allowedDomains = AgentTaskRequestParser.allowedDomains(body);
        } catch (InvalidRequestException e) {
            throw new ApiException(400, "invalid_request", e.getMessage(), Map.of("field", e.field()));
        }
        String environmentId = RequestBodies.optionalString(body, "environmentId", 128);
        if (environmentId != null && !BrowserProfile.ID.matcher(environmentId).matches()) {
            throw ApiException.badRequest("environmentId", "must be an environment's id (POST /browser/environments)");
        }
        JsonNode recording = body.get(Recordings.FIELD);
        if (recording != null && !recording.isNull() && !recording.isBoolean()) {
            throw ApiException.badRequest(Recordings.FIELD, "must be true or false");
        }
        return new SessionOptions(viewport, userAgent, locale, timezone, inactivity, allowedDomains, environmentId,
                recording == null || recording.isNull() ? null : recording.booleanValue());
    }

    private static int intField(JsonNode node, String path, String field, int fallback) {
        return (int) integer(node, path, field, fallback, Viewport.MIN, Viewport.MAX);
    }

    /** A whole number in any JSON spelling (800, 800.0, 8e2) within the bounds; a number past them is refused. */
    private static long integer(JsonNode node, String path, String field, long fallback, long min, long max) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        // clamped: a number past long's range would otherwise wrap around into the valid range
        long v = JsonNumbers.clampedLong(n).orElse(Long.MIN_VALUE);
        if (v < min || v > max) {
            throw ApiException.badRequest(path, "must be an integer between " + min + " and " + max);
        }
        return v;
    }
}
