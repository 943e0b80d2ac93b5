package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;

import java.time.Instant;
import java.util.List;

/** A session as the native API shows it. Options the caller left out are shown as null. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record SessionView(String id, String status, String createdAt, String expiresAt, ViewportView viewport,
                   String userAgent, String locale, String timezoneId, long inactivityTimeoutMs, String currentUrl,
                   List<String> allowedDomains, String environmentId,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String terminatedAt) {

    record ViewportView(int width, int height) {
    }

    /** One page of sessions; {@code nextCursor} is null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Listing(List<SessionView> sessions, String nextCursor) {
    }

    /** The session as it is at {@code now}: an idle session has expired without anyone writing it. */
    static SessionView of(Session s, Instant now) {
        Instant expires = s.status() == SessionStatus.TERMINATED ? s.terminatedAt() : s.expiresAt();
        return new SessionView(s.id(), s.statusAt(now).wireName(), s.createdAt().toString(), expires.toString(),
                new ViewportView(s.options().viewport().width(), s.options().viewport().height()),
                s.options().userAgent(), s.options().locale(), s.options().timezoneId(),
                s.options().inactivityTimeoutMs(), s.currentUrl(), s.options().allowedDomains(),
                s.options().environmentId(), s.terminatedAt() == null ? null : s.terminatedAt().toString());
    }
}
