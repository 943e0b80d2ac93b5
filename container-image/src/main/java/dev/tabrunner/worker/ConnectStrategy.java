package dev.tabrunner.worker;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.ActionFailure;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;
import dev.tabrunner.port.BrowserConnections;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/**
 * A client driving the session's browser over CDP ({@code POST /browser/sessions/{id}/connect}, a v2 browser's
 * {@code cdpUrl}). The gateway makes the connection's task when the client opens its link, so the session is busy
 * while the client is there (its other tasks wait their turn) and its state and page are saved when the client
 * leaves, as after any task. Its program offers the context to the API's CDP gateway ({@link BrowserConnections})
 * and waits: for the client (already waiting at the gateway; {@code connectBy}), then until the client leaves, stays
 * silent for the session's inactivity timeout, or the task is stopped. Meanwhile the page has a live view.
 */
final class ConnectStrategy implements RunStrategy {
    /** How long a connection that starts late (behind another task of the session) still waits for its client. */
    static final Duration LATE_START_GRACE = Duration.ofSeconds(60);
    private static final double POLL_MS = 200;
    /**
     * How long a connection's live view is reachable at most: it closes with the connection, which the client's
     * silence for the session's inactivity timeout ends (browser-use's browsers time out within 4 hours).
     */
    private static final Duration LIVE_VIEW_FOR = Duration.ofHours(4);

    private final TaskRecord claimed;
    private final BrowserConnections connections;
    private final Supplier<BrowserHost> host;
    private final Clock clock;
    private Instant connectBy;
    /** A person watching the idle session through a live view rather than a program over CDP. */
    private boolean watch;
    private long inactivityMs;
    private String resumeUrl;

    ConnectStrategy(TaskRecord claimed, BrowserConnections connections, Supplier<BrowserHost> host, Clock clock) {
        this.claimed = claimed;
        this.connections = connections;
        this.host = host;
        this.clock = clock;
    }

    @Override
    public void prepare() {
        watch = claimed.request().path("watch").asBoolean(false);
        if (watch) {
            connectBy = clock.instant().plusMillis(Math.max(1_000, claimed.request().path("viewMs").asLong(0)));
            return;
        }
        if (!connections.available()) {
            throw new CannotRun(TaskError.of(501, "not_available_on_this_deployment",
                    "this worker takes no inbound connections; CDP connect needs a local server"));
        }
        try {
            Instant by = Instant.parse(claimed.request().path("connectBy").asText());
            Instant late = clock.instant().plus(LATE_START_GRACE);
            connectBy = by.isAfter(late) ? by : late;
        } catch (DateTimeParseException e) {
            throw new CannotRun(TaskError.of(400, "invalid_request", "the connection has no connectBy time"));
        }
    }

    @Override
    public PageProgram program(TaskWriter writer, TaskControl control, EngineListener listener, Progress progress) {
        if (watch) {
            return (page, actions) -> {
                watch(page, listener, control);
                return null;
            };
        }
        return (page, actions) -> {
            BrowserConnections.Endpoint endpoint = endpoint(page);
            connections.offer(claimed.id(), endpoint);
            // a person may watch what the client does (a v2 browser's liveUrl leads here while it is connected)
            // the run's view stays open as long as the connection may last; its frames start once someone watches
            try (EngineListener.LiveSession live = listener.openLiveView(LIVE_VIEW_FOR)) {
                serve(page, control, listener);
            } finally {
                connections.withdraw(claimed.id());
            }
            return null;
        };
    }

    private BrowserConnections.Endpoint endpoint(Page page) {
        String browserUrl = host.get().devToolsUrl().orElseThrow(() -> ActionFailure.browserUnavailable(
                "the browser was launched without a DevTools port (TABRUNNER_CDP_CONNECT=false)"));
        CDPSession cdp = page.context().newCDPSession(page);
        try {
            JsonObject info = cdp.send("Target.getTargetInfo").getAsJsonObject("targetInfo");
            return new BrowserConnections.Endpoint(browserUrl, info.get("browserContextId").getAsString(),
                    info.get("targetId").getAsString());
        } finally {
            cdp.detach();
        }
    }

    /**
     * The idle session's live view ({@code POST /browser/sessions/{id}/live-view}): the page's screencast goes to the
     * view and the person's input to the page, until the view's time is up, the person presses Done, or the task is
     * stopped. The session is held meanwhile, as by a connection.
     */
    private void watch(Page page, EngineListener listener, TaskControl control) {
        try (EngineListener.LiveSession live = listener.openLiveView(Duration.between(clock.instant(), connectBy))) {
            // asked for: it paints from the start, watched or not
            if (!live.cast(page)) {
                byte[] first = dev.tabrunner.engine.LiveInput.frame(page);
                if (first != null) {
                    live.publishFrame(first);
                }
            }
            while (clock.instant().isBefore(connectBy)) {
                control.duringAction();
                for (com.fasterxml.jackson.databind.JsonNode event : live.drainInput()) {
                    if (dev.tabrunner.engine.LiveInput.isDone(event)) {
                        return;
                    }
                    dev.tabrunner.engine.LiveInput.apply(page, event);
                }
                page.waitForTimeout(POLL_MS);
            }
        }
    }

    /**
     * Waits on the worker's thread, letting Playwright take its events (the client's, the screencast's) meanwhile,
     * until the connection is over; once a person watches, the page is painted for them and their input goes to it.
     */
    private void serve(Page page, TaskControl control, EngineListener listener) {
        Instant attachedAt = null;
        Page waitOn = page;
        while (true) {
            control.duringAction();
            if (!waitOn.isClosed()) {
                listener.betweenActions(waitOn);
            }
            Instant now = clock.instant();
            switch (connections.state(claimed.id())) {
                case WAITING -> {
                    if (now.isAfter(connectBy)) {
                        return;
                    }
                }
                case ATTACHED -> {
                    attachedAt = attachedAt == null ? now : attachedAt;
                    Instant last = connections.lastActivity(claimed.id()).filter(attachedAt::isBefore)
                            .orElse(attachedAt);
                    if (Duration.between(last, now).toMillis() > inactivityMs) {
                        return;
                    }
                }
                case DETACHED -> {
                    return;
                }
            }
            waitOn = pause(waitOn);
        }
    }

    /** One poll interval; the page waited on is any live page of the context (the client may close the first). */
    private static Page pause(Page waitOn) {
        BrowserContext context = waitOn.context();
        Page live = waitOn.isClosed() ? context.pages().stream().filter(p -> !p.isClosed()).findFirst()
                .orElse(null) : waitOn;
        try {
            if (live != null) {
                live.waitForTimeout(POLL_MS);
                return live;
            }
        } catch (PlaywrightException e) {
            // the page closed while we waited on it: the next round takes another
        }
        try {
            Thread.sleep((long) POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskInterrupted(TaskInterrupted.Reason.STOP, "the worker is shutting down");
        }
        return waitOn;
    }

    @Override
    public ContextSpec context(Session session, Supplier<String> storageState) {
        inactivityMs = session.options().inactivityTimeoutMs();
        resumeUrl = session.currentUrl();
        // the client's navigations go through the egress guard with the session's allowed domains, as tasks' do
        java.util.List<String> allowed = session.options().allowedDomains();
        return new ContextSpec(session.options(), storageState, resumeUrl,
                allowed.isEmpty() ? BrowsingOptions.NONE : new BrowsingOptions(allowed, false, null, false), false);
    }

    /**
     * The next task continues in the context the client leaves, as after any task: what the client set up on its
     * own CDP sessions (emulation, scripts, interception) ends with them.
     */
    @Override
    public boolean mayKeepContext() {
        return true;
    }

    @Override
    public String collect(EngineOutcome outcome, Session session, Progress progress) {
        progress.network = outcome.network();
        return outcome.finalUrl() != null ? outcome.finalUrl() : resumeUrl;
    }

    /** A connection is not continued: one that must let go ends, and the client connects again. */
    @Override
    public TaskStatus held(TaskInterrupted.Reason reason) {
        return reason == TaskInterrupted.Reason.PAUSE ? TaskStatus.PAUSED : TaskStatus.CREATED;
    }

    @Override
    public TaskRecord.Builder keep(TaskRecord.Builder task) {
        return task;
    }

    @Override
    public String progressNote(Progress progress) {
        return "a CDP connection";
    }

    @Override
    public void finish(TaskWriter writer, EngineOutcome outcome) {
        // the session's state and page are what a connection leaves
    }
}
