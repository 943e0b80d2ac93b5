package dev.tabrunner.domain;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.List;
import java.util.Objects;

/**
 * The options a session was created with; every task in the session runs with them.
 *
 * @param allowedDomains the only domains any task of the session may reach, in browser-use v1's notation (see
 *                       {@link dev.tabrunner.egress.DomainAllowList}); empty for no restriction
 * @param environmentId  the environment (a saved browser profile of the tenant) the session started from and writes
 *                       its browser state back into, or null
 * @param recording      whether the session's tasks are recorded for replay when a task does not say (ADR 0042), or
 *                       null for the default of each kind of task ({@link dev.tabrunner.recording.Recordings})
 */
public record SessionOptions(Viewport viewport, String userAgent, String locale, String timezoneId,
                             long inactivityTimeoutMs, List<String> allowedDomains, String environmentId,
                             Boolean recording) {
    public static final long DEFAULT_INACTIVITY_TIMEOUT_MS = 300_000;
    public static final long MIN_INACTIVITY_TIMEOUT_MS = 10_000;
    public static final long MAX_INACTIVITY_TIMEOUT_MS = 86_400_000;

    @JsonCreator
    public SessionOptions {
        Objects.requireNonNull(viewport, "viewport");
        if (inactivityTimeoutMs < MIN_INACTIVITY_TIMEOUT_MS || inactivityTimeoutMs > MAX_INACTIVITY_TIMEOUT_MS) {
            throw new IllegalArgumentException("inactivityTimeoutMs must be between " + MIN_INACTIVITY_TIMEOUT_MS
                    + " and " + MAX_INACTIVITY_TIMEOUT_MS);
        }
        // sessions stored before these options existed have neither
        allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
    }

    /** Options that leave recording to each task's default. */
    public SessionOptions(Viewport viewport, String userAgent, String locale, String timezoneId,
                          long inactivityTimeoutMs, List<String> allowedDomains, String environmentId) {
        this(viewport, userAgent, locale, timezoneId, inactivityTimeoutMs, allowedDomains, environmentId, null);
    }

    /** Options without a domain restriction or an environment. */
    public SessionOptions(Viewport viewport, String userAgent, String locale, String timezoneId,
                          long inactivityTimeoutMs) {
        this(viewport, userAgent, locale, timezoneId, inactivityTimeoutMs, List.of(), null);
    }

    /**
     * True when the text can be a {@code User-Agent} header: no control characters (a CR or LF would split the
     * header, and the browser refuses such a context, so every task of the session would fail).
     */
    public static boolean validUserAgent(String userAgent) {
        return userAgent != null && userAgent.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    public static SessionOptions defaults() {
        return new SessionOptions(Viewport.DEFAULT, null, null, null, DEFAULT_INACTIVITY_TIMEOUT_MS);
    }

    /** The same options, started from and saved into this environment. */
    public SessionOptions withEnvironment(String id) {
        return new SessionOptions(viewport, userAgent, locale, timezoneId, inactivityTimeoutMs, allowedDomains, id,
                recording);
    }

    /** The same options, recording the session's tasks ({@code true}), not ({@code false}) or by default (null). */
    public SessionOptions withRecording(Boolean value) {
        return new SessionOptions(viewport, userAgent, locale, timezoneId, inactivityTimeoutMs, allowedDomains,
                environmentId, value);
    }
}
