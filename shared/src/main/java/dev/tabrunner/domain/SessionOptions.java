package dev.tabrunner.domain;

import java.util.Objects;

/** The options a session was created with; every task in the session runs with them. */
public record SessionOptions(Viewport viewport, String userAgent, String locale, String timezoneId,
                             long inactivityTimeoutMs) {
    public static final long DEFAULT_INACTIVITY_TIMEOUT_MS = 300_000;
    public static final long MIN_INACTIVITY_TIMEOUT_MS = 10_000;
    public static final long MAX_INACTIVITY_TIMEOUT_MS = 86_400_000;

    public SessionOptions {
        Objects.requireNonNull(viewport, "viewport");
        if (inactivityTimeoutMs < MIN_INACTIVITY_TIMEOUT_MS || inactivityTimeoutMs > MAX_INACTIVITY_TIMEOUT_MS) {
            throw new IllegalArgumentException("inactivityTimeoutMs must be between " + MIN_INACTIVITY_TIMEOUT_MS
                    + " and " + MAX_INACTIVITY_TIMEOUT_MS);
        }
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
}
