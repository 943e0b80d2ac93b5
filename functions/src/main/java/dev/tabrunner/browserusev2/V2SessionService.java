package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.tasks.TaskService;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * v2's sessions and browsers over the native sessions: each is a native session plus a {@link V2SessionRecord}.
 * Stopping one stops its unfinished tasks and terminates it; deleting one also takes it and its share out of v2.
 */
@Singleton
final class V2SessionService {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The most tasks a session's view lists, newest first. */
    private static final int MAX_TASKS_SHOWN = 1000;

    private final SessionService sessions;
    private final SessionStore sessionStore;
    private final TaskService tasks;
    private final TaskStore taskStore;
    private final V2Store store;
    private final V2ProfileService profiles;
    private final UpstreamProxies proxies;
    private final BrowserConnect connect;
    private final Clock clock;

    V2SessionService(SessionService sessions, SessionStore sessionStore, TaskService tasks, TaskStore taskStore, V2Store store,
                     V2ProfileService profiles, UpstreamProxies proxies, BrowserConnect connect, Clock clock) {
        this.sessions = sessions;
        this.sessionStore = sessionStore;
        this.tasks = tasks;
        this.taskStore = taskStore;
        this.store = store;
        this.profiles = profiles;
        this.proxies = proxies;
        this.connect = connect;
        this.clock = clock;
    }

    /** A session and v2's record of it. */
    record V2Session(Session session, V2SessionRecord record) {
    }

    /**
     * The native options of a new session: the profile must exist.
     */
    SessionOptions options(Caller caller, V2SessionRequest r, int timeoutMinutes) {
        if (r.profileId() != null) {
            profiles.require(caller, r.profileId());
        }
        return new SessionOptions(r.viewport(), null, null, null, timeoutMinutes * 60_000L, List.of(),
                r.profileId());
    }

    /**
     * The proxy country a session's tasks go through, or null for a direct connection. Left at the default
     * ({@code us}), a deployment without a proxy for it connects directly; a country asked for in so many words
     * and not configured here is refused rather than ignored.
     *
     * @throws RequestProblems at {@code loc} for a country asked for that has no proxy here
     */
    String proxyCountry(V2SessionRequest.Proxy proxy, List<Object> loc) {
        if (proxy.country() == null) {
            return null;
        }
        if (proxies.offers(proxy.country())) {
            return proxy.country();
        }
        if (!proxy.given()) {
            return null;
        }
        throw RequestProblems.of(loc, "Value error, no proxy is configured for '" + proxy.country() + "' in this"
                + " deployment (the operator sets " + UpstreamProxies.SETTING_PREFIX
                + proxy.country().toUpperCase(Locale.ROOT) + ")" + (proxies.countries().isEmpty()
                ? "; none is configured" : "; configured: " + proxies.countries())
                + "; send proxyCountryCode: null to connect directly", "value_error");
    }

    /** v2's record of a session made here (by {@code /sessions}, {@code /browsers} or for a task). */
    V2SessionRecord record(Session s, String kind, String proxyCountry, V2SessionRequest r,
                           BrowserConnect.Endpoints endpoints) {
        V2SessionRecord rec = new V2SessionRecord(s.id(), kind, proxyCountry, r.startUrl(), r.keepAlive(),
                r.metadata(), null, 0, null, endpoints);
        store.putSession(s.tenantId(), rec);
        return rec;
    }

    /** {@code POST /sessions}. */
    V2Session createAgentSession(Caller caller, V2SessionRequest r) {
        String country = proxyCountry(r.proxy(), List.of("body", "proxyCountryCode"));
        Session s = sessions.create(caller, options(caller, r, r.timeoutMinutes()));
        return new V2Session(s, record(s, V2SessionRecord.AGENT, country, r, null));
    }

    /**
     * {@code POST /browsers}: a session whose browser the caller drives over CDP.
     *
     * @throws ApiException 501 on a deployment that cannot hand out such a browser (its workers take no inbound
     *                      connections)
     */
    V2Session createBrowser(Caller caller, V2SessionRequest r) {
        String country = proxyCountry(r.proxy(), List.of("body", "proxyCountryCode"));
        SessionOptions options = options(caller, r, r.timeoutMinutes());
        Session s = sessions.create(caller, options);
        Optional<BrowserConnect.Endpoints> endpoints;
        try {
            endpoints = connect.open(caller, s);
        } catch (RuntimeException e) {
            sessions.terminate(caller, s.id());
            throw e;
        }
        if (endpoints.isEmpty()) {
            sessions.terminate(caller, s.id());
            throw new ApiException(501, "browsers_not_available", connect.unavailable());
        }
        return new V2Session(s, record(s, V2SessionRecord.BROWSER, country, r, endpoints.get()));
    }

    /**
     * One of the caller's v2 sessions of this kind.
     *
     * @throws NotFoundException {@code session_not_found} for any other id
     */
    V2Session get(Caller caller, String id, String kind) {
        Optional<V2SessionRecord> rec = store.session(caller.tenantId(), id).filter(r -> r.kind().equals(kind));
        if (rec.isEmpty()) {
            throw new NotFoundException("session_not_found", V2SessionRecord.BROWSER.equals(kind)
                    ? "Browser session not found" : "Session not found");
        }
        try {
            return new V2Session(sessions.get(caller, id), rec.get());
        } catch (NotFoundException e) {
            throw new NotFoundException("session_not_found", "Session not found");
        }
    }

    /**
     * A page of the caller's sessions of this kind, newest first.
     *
     * @param status {@code active}, {@code stopped}, or null for both
     */
    V2Views.Page<V2Session> list(Caller caller, String kind, String status, int pageSize, int pageNumber) {
        Instant now = clock.instant();
        List<V2Session> all = new ArrayList<>();
        for (String id : store.sessionIds(caller.tenantId())) {
            Optional<V2SessionRecord> rec = store.session(caller.tenantId(), id).filter(r -> r.kind().equals(kind));
            if (rec.isEmpty()) {
                continue;
            }
            Optional<Session> s = Optional.empty();
            try {
                s = Optional.of(sessions.get(caller, id));
            } catch (NotFoundException e) {
                // its row expired: the record goes with it
            }
            s.filter(x -> status == null || V2Views.sessionStatus(x, now).equals(status))
                    .ifPresent(x -> all.add(new V2Session(x, rec.get())));
        }
        all.sort(Comparator.comparing((V2Session v) -> v.session().createdAt()).reversed());
        return V2Pages.page(all, pageSize, pageNumber);
    }

    /** The session's v2 tasks, newest first (at most {@link #MAX_TASKS_SHOWN}). */
    List<TaskRecord> tasks(Session s) {
        List<TaskRecord> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<TaskRecord> page = taskStore.listBySession(s.tenantId(), s.id(), 100, cursor);
            page.items().stream().filter(V2TaskData::isV2).forEach(out::add);
            cursor = page.nextCursor();
        } while (cursor != null && out.size() < MAX_TASKS_SHOWN);
        return out;
    }

    /** Stops the session's unfinished tasks, then the session; a stopped session stays as it is. */
    V2Session stop(Caller caller, String id, String kind) {
        V2Session v = get(caller, id, kind);
        for (TaskRecord t : tasks(v.session())) {
            if (!t.status().isTerminal()) {
                try {
                    tasks.stop(caller, t.sessionId(), t.id());
                } catch (ConflictException e) {
                    // it ended, or another stop came first
                }
            }
        }
        if (V2SessionRecord.BROWSER.equals(kind)) {
            // first: no client opens the links again, and the one connected leaves before the answer says stopped
            connect.close(caller, v.session());
        }
        Session ended = sessions.terminate(caller, id);
        return new V2Session(ended, v.record());
    }

    /** Stops the session and takes it and its public share out of v2: it is then not found. */
    void delete(Caller caller, String id) {
        V2Session v = stop(caller, id, V2SessionRecord.AGENT);
        if (v.record().shareToken() != null) {
            store.deleteShare(v.record().shareToken());
        }
        store.deleteSession(caller.tenantId(), id);
    }

    /** The session's public share, made now unless it has one. */
    V2SessionRecord share(Caller caller, String id) {
        V2Session v = get(caller, id, V2SessionRecord.AGENT);
        if (v.record().shareToken() != null) {
            return v.record();
        }
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        V2SessionRecord shared = v.record().withShare(Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        store.putShare(shared.shareToken(), new V2Store.ShareTarget(caller.tenantId(), id));
        store.putSession(caller.tenantId(), shared);
        return shared;
    }

    /**
     * @throws NotFoundException {@code share_not_found} when the session is not shared
     */
    V2SessionRecord existingShare(Caller caller, String id) {
        V2SessionRecord r = get(caller, id, V2SessionRecord.AGENT).record();
        if (r.shareToken() == null) {
            throw new NotFoundException("share_not_found", "Public share not found");
        }
        return r;
    }

    void unshare(Caller caller, String id) {
        V2SessionRecord r = existingShare(caller, id);
        store.deleteShare(r.shareToken());
        store.putSession(caller.tenantId(), r.withShare(null));
    }

    /**
     * The session a public share link names, counted as one more view.
     *
     * @throws NotFoundException for any other link (unknown token, share removed), alike
     */
    V2Session shared(String token) {
        NotFoundException none = new NotFoundException("share_not_found", "Public share not found");
        V2Store.ShareTarget target = token == null ? null : store.share(token).orElse(null);
        if (target == null) {
            throw none;
        }
        V2SessionRecord r = store.session(target.tenantId(), target.sessionId()).orElseThrow(() -> none);
        if (r.shareToken() == null || !MessageDigest.isEqual(r.shareToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw none;
        }
        // a view count under concurrent reads may miss one: it is a statistic, not a limit
        V2SessionRecord viewed = r.viewed(clock.instant());
        store.putSession(target.tenantId(), viewed);
        return new V2Session(sessionStore.find(target.tenantId(), target.sessionId()).orElseThrow(() -> none),
                viewed);
    }

    Instant now() {
        return clock.instant();
    }

    /** The live view of the task that has the session's browser now, if any. */
    private String liveUrl(Session s, String base) {
        if (s.activeTaskId() == null || V2Views.sessionStatus(s, clock.instant()).equals("stopped")) {
            return null;
        }
        return taskStore.find(s.tenantId(), s.activeTaskId()).filter(t -> !t.status().isTerminal())
                .map(TaskRecord::liveViewUrl).map(u -> base + u).orElse(null);
    }

    V2Views.SessionItem item(V2Session v, String base) {
        Session s = v.session();
        Instant now = clock.instant();
        return new V2Views.SessionItem(s.id(), V2Views.sessionStatus(s, now), liveUrl(s, base), null, s.createdAt(),
                V2Views.sessionFinishedAt(s, now), false, v.record().keepAlive(), "0", "0");
    }

    V2Views.SessionView view(V2Session v, String base) {
        V2Views.SessionItem i = item(v, base);
        return new V2Views.SessionView(i.id(), i.status(), i.liveUrl(), null, i.startedAt(), i.finishedAt(),
                tasks(v.session()).stream().map(V2Views::item).toList(), v.record().shareToken() == null ? null
                : shareUrl(base, v.record().shareToken()), false, i.keepAlive(), "0", "0");
    }

    static String shareUrl(String base, String token) {
        return base + BrowserUseV2Dialect.SHARED + token;
    }

    static V2Views.Share shareView(V2SessionRecord r, String base) {
        return new V2Views.Share(r.shareToken(), shareUrl(base, r.shareToken()), r.viewCount(), r.lastViewedAt());
    }

    /**
     * The browser's view; its links only while it is active, absolute on {@code base} (the CDP link as
     * {@code ws://} or {@code wss://}).
     */
    V2Views.Browser browser(V2Session v, String base) {
        Session s = v.session();
        Instant now = clock.instant();
        BrowserConnect.Endpoints e = v.record().connect();
        boolean active = V2Views.sessionStatus(s, now).equals("active") && e != null;
        return new V2Views.Browser(s.id(), V2Views.sessionStatus(s, now), active ? base + e.liveUrl() : null,
                active ? base.replaceFirst("^http", "ws") + e.cdpUrl() : null, s.expiresAt(), s.createdAt(),
                V2Views.sessionFinishedAt(s, now), "0", "0", "0", null, null, false, v.record().metadata());
    }
}
