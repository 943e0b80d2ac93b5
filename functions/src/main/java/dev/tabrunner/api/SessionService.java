package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates, reads, lists and terminates sessions, always inside the caller's tenant. */
@Singleton
public final class SessionService {
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    private final SessionStore sessions;
    private final Clock clock;
    private final ApiSettings settings;

    public SessionService(SessionStore sessions, Clock clock, ApiSettings settings) {
        this.sessions = sessions;
        this.clock = clock;
        this.settings = settings;
    }

    public Session create(Caller caller, JsonNode body) {
        RequestBodies.object(body.toString(), Set.of("viewport", "userAgent", "locale", "timezoneId",
                "inactivityTimeoutMs"));
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
        Instant now = clock.instant();
        if (sessions.countActive(caller.tenantId(), now, settings.maxSessions()) >= settings.maxSessions()) {
            throw new ApiException(429, "too_many_sessions", "this tenant has " + settings.maxSessions()
                    + " active sessions, its limit; terminate one (DELETE /browser/sessions/{id}) or wait for one"
                    + " to expire", Map.of("retryAfterSeconds", 10));
        }
        Session session = new Session(UUID.randomUUID().toString(), caller.tenantId(), SessionStatus.ACTIVE, now, now,
                new SessionOptions(viewport, userAgent, locale, timezone, inactivity), null, null, null, null, 0);
        sessions.create(session);
        return session;
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

    public Session get(Caller caller, String sessionId) {
        return sessions.find(caller.tenantId(), sessionId)
                .orElseThrow(() -> new NotFoundException("session_not_found", "session " + sessionId + " not found"));
    }

    /** The session, if it can still run tasks. */
    public Session requireActive(Caller caller, String sessionId) {
        Session s = get(caller, sessionId);
        SessionStatus status = s.statusAt(clock.instant());
        if (status != SessionStatus.ACTIVE) {
            throw new ApiException(410, "session_" + status.wireName(), "session " + sessionId + " is "
                    + status.wireName() + "; it accepts no more tasks");
        }
        return s;
    }

    /** Marks the session used now, which pushes its inactivity expiry back. Best effort under contention. */
    public void touch(Session session) {
        try {
            sessions.update(session.touched(clock.instant()), session.version());
        } catch (ConflictException e) {
            // a concurrent writer (the worker saving state) also moves lastActivityAt forward
        }
    }

    public Session terminate(Caller caller, String sessionId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Session s = get(caller, sessionId);
            if (s.status() == SessionStatus.TERMINATED) {
                return s;
            }
            try {
                return sessions.update(s.terminated(clock.instant()), s.version());
            } catch (ConflictException e) {
                // re-read and try again
            }
        }
        throw new ConflictException("session_busy", "session " + sessionId + " is changing; retry");
    }

    public Page<Session> list(Caller caller, int limit, String cursor) {
        try {
            return sessions.list(caller.tenantId(), limit, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor", e.getMessage());
        }
    }

    public Map<String, Object> view(Session s) {
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("status", s.statusAt(now).wireName());
        out.put("createdAt", s.createdAt().toString());
        out.put("expiresAt", (s.status() == SessionStatus.TERMINATED ? s.terminatedAt() : s.expiresAt()).toString());
        out.put("viewport", Map.of("width", s.options().viewport().width(), "height",
                s.options().viewport().height()));
        out.put("userAgent", s.options().userAgent());
        out.put("locale", s.options().locale());
        out.put("timezoneId", s.options().timezoneId());
        out.put("inactivityTimeoutMs", s.options().inactivityTimeoutMs());
        out.put("currentUrl", s.currentUrl());
        if (s.terminatedAt() != null) {
            out.put("terminatedAt", s.terminatedAt().toString());
        }
        return out;
    }
}
