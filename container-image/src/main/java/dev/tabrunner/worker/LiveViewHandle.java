package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.LiveInput;
import dev.tabrunner.engine.Screencast;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The live view of one run of a task. Every run has one: its channel is opened and its URL recorded by the claim
 * ({@link #newUrl}, {@link #openChannel}), so the caller's poll shows {@code liveViewUrl} from the moment the task runs, at no write
 * of its own; the task's end write takes the URL away again. Nothing is painted for nobody: the page's screencast
 * starts between two actions (or while the agent's model thinks) once {@link LiveView#watched} says a viewer is
 * there, and then runs for the rest of the run. The person's clicks and keys are applied between actions, never
 * inside one.
 *
 * <p>An open for a person (the authenticate {@code prompt_user} flow, an agent task that asked for a view, an idle
 * session's view) joins the run's view, keeping its URL and token, so the person already watching is the one asked
 * to log in. A later deadline extends it (its channel is opened again with the same token, which drops input not
 * yet applied). A run whose claim opened no view (the channel's store was unreachable) opens one for a person on
 * demand and records its URL then, as before every run had one.
 */
final class LiveViewHandle {
    private static final Logger LOG = LoggerFactory.getLogger(LiveViewHandle.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a run's view stays reachable unless a person's open asks for longer: longer than runs last. */
    static final Duration RUN_VIEW = Duration.ofHours(1);
    private static final String PATH = "/live/";

    private final LiveView liveView;
    private final TaskWriter writer;
    private final Clock clock;
    private final String taskId;
    private OpenView open;
    private boolean runReleased;
    /** The screencast of the run's page, once someone watched; used on the run's thread only. */
    private Screencast cast;
    private Page castPage;
    /** "Done" events read between actions, kept for the prompt they are meant for. */
    private final List<JsonNode> keptForPrompt = new ArrayList<>();

    LiveViewHandle(LiveView liveView, TaskWriter writer, Clock clock) {
        this.liveView = liveView;
        this.writer = writer;
        this.clock = clock;
        TaskRecord claimed = writer.current();
        this.taskId = claimed.id();
        String url = claimed.liveViewUrl();
        String prefix = PATH + taskId + "?token=";
        if (url != null && url.startsWith(prefix)) {
            // the run holds its own view until it ends
            open = new OpenView(url.substring(prefix.length()), url, null, true);
            open.holders = 1;
        }
    }

    /** The URL of a new view of the task, with a new token: what a claim records. */
    static String newUrl(String taskId) {
        return PATH + taskId + "?token=" + newToken();
    }

    /**
     * Opens the channel of the view a claim recorded, reachable for {@link #RUN_VIEW}.
     *
     * @return false when the channel's store cannot be reached: the task runs without a view rather than not at all
     */
    static boolean openChannel(LiveView liveView, TaskRecord claimed, Instant now) {
        String prefix = PATH + claimed.id() + "?token=";
        try {
            liveView.open(claimed.id(), claimed.liveViewUrl().substring(prefix.length()), now.plus(RUN_VIEW));
            return true;
        } catch (StoreUnavailableException e) {
            LOG.warn("task {} runs without its live view: {}", claimed.id(), e.getMessage());
            return false;
        }
    }

    private static String newToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The live view a task has open, and how many openers hold it. */
    private static final class OpenView {
        final String token;
        final String url;
        /** Until when the channel is open; null for the run's view until someone asks for a time. */
        Instant until;
        /** True for the view the claim opened: the task's end write, not a write of its own, takes its URL away. */
        final boolean ofRun;
        int holders;

        OpenView(String token, String url, Instant until, boolean ofRun) {
            this.token = token;
            this.url = url;
            this.until = until;
            this.ofRun = ofRun;
        }
    }

    /** Opens the view (or joins the open one) for a person, reachable for {@code pause}. */
    synchronized EngineListener.LiveSession open(Duration pause) {
        Instant until = clock.instant().plus(pause);
        if (open == null) {
            String token = newToken();
            liveView.open(taskId, token, until);
            String url = PATH + taskId + "?token=" + token;
            writer.write(r -> r.toBuilder().liveViewUrl(url).build());
            open = new OpenView(token, url, until, false);
        } else if (open.until == null ? until.isAfter(clock.instant().plus(RUN_VIEW)) : until.isAfter(open.until)) {
            liveView.open(taskId, open.token, until);
            open.until = until;
        }
        open.holders++;
        OpenView view = open;
        return new EngineListener.LiveSession() {
            private boolean closed;

            @Override
            public String url() {
                return view.url;
            }

            @Override
            public void publishFrame(byte[] jpeg) {
                liveView.publishFrame(taskId, jpeg);
            }

            @Override
            public boolean cast(Page page) {
                return startCast(page);
            }

            @Override
            public void asking(boolean asking) {
                try {
                    liveView.asking(taskId, asking);
                } catch (StoreUnavailableException e) {
                    // the view's header is the only thing that depends on it
                    LOG.debug("task {}: the view could not be told it asks: {}", taskId, e.getMessage());
                }
            }

            @Override
            public List<JsonNode> drainInput() {
                List<JsonNode> events = new ArrayList<>(keptForPrompt);
                keptForPrompt.clear();
                events.addAll(liveView.drainInput(taskId));
                return events;
            }

            @Override
            public void close() {
                synchronized (LiveViewHandle.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (--view.holders > 0) {
                        return;
                    }
                    open = null;
                }
                stopCast();
                liveView.close(taskId);
                writer.write(r -> r.toBuilder().liveViewUrl(null).build());
            }
        };
    }

    /**
     * Between two actions of the run: once someone watches, the page's frames start, and what the person did
     * meanwhile is applied. Input comes from a viewer: a run that paints for nobody (an agent task that asked for its
     * view from the start) leaves it queued for whoever drains it (a login's prompt).
     */
    void betweenActions(Page page) {
        if (open == null || !viewerThere()) {
            return;
        }
        startCast(page);
        List<JsonNode> events;
        try {
            events = liveView.drainInput(taskId);
        } catch (StoreUnavailableException e) {
            // the events stay queued for the next action
            LOG.debug("no live input for task {} this time: {}", taskId, e.getMessage());
            return;
        }
        for (JsonNode event : events) {
            if (LiveInput.isDone(event)) {
                // pressed while the login's prompt was still on its way: the prompt reads it
                keptForPrompt.add(event);
            } else {
                LiveInput.apply(page, event);
            }
        }
    }

    /**
     * While the page waits on something other than an action (the agent's model): starts its frames for a viewer,
     * and hands over the frames Chromium painted meanwhile (they reach Java only inside a Playwright call).
     */
    void meanwhile(Page page) {
        if (open == null) {
            return;
        }
        if (cast == null || castPage != page) {
            if (!viewerThere() || !startCast(page)) {
                return;
            }
        }
        try {
            page.waitForTimeout(1);
        } catch (PlaywrightException e) {
            // the page is going away; the run finds out on its own
        }
    }

    /** Whether someone watches the view; asked often, so the adapter's answer may be a second old. */
    private boolean viewerThere() {
        try {
            return liveView.watched(taskId);
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    /** Starts the page's screencast into the view, unless it runs already; false when the page cannot be cast. */
    private boolean startCast(Page page) {
        if (cast != null && castPage == page) {
            return true;
        }
        stopCast();
        cast = Screencast.start(page, jpeg -> liveView.publishFrame(taskId, jpeg));
        castPage = cast == null ? null : page;
        if (cast == null) {
            byte[] frame = LiveInput.frame(page);
            if (frame != null) {
                liveView.publishFrame(taskId, frame);
            }
        }
        return cast != null;
    }

    private void stopCast() {
        if (cast != null) {
            cast.close();
            cast = null;
            castPage = null;
        }
    }

    /**
     * The run is over: its frames stop and its view closes, unless a person's open holds it. The task's end write
     * (or the write that hands the task on) takes the URL away. A second call does nothing.
     *
     * @param lost true when the task was taken over by another worker, whose own view of it must stay open
     */
    void runEnded(boolean lost) {
        stopCast();
        synchronized (this) {
            if (runReleased || open == null || !open.ofRun) {
                return;
            }
            runReleased = true;
            if (--open.holders > 0) {
                return;
            }
            open = null;
        }
        if (!lost) {
            try {
                liveView.close(taskId);
            } catch (StoreUnavailableException e) {
                // the channel expires by itself
                LOG.debug("closing the live view of task {}: {}", taskId, e.getMessage());
            }
        }
    }
}
