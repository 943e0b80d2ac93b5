package dev.tabrunner.domain;

import java.util.Locale;

/** Lifecycle of a browser session. Terminated and expired sessions accept no more tasks. */
public enum SessionStatus {
    ACTIVE, TERMINATED, EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
