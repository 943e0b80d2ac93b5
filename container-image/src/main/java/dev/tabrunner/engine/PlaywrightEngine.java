package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.options.WaitUntilState;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one task's {@link PageProgram} (a scripted action list or the agent) in a browser context, the session's warm
 * one or one restored from its saved state, and hands back the new state. Set-up and teardown are here alone: the
 * task's network rules on the egress proxy, the network log, the session's last page reopened (a restored context);
 * then the context given back (kept warm when it is still whole), and a browser that crashed meanwhile closed so
 * that the next task launches a fresh one. Playwright exceptions never
 * escape: each becomes an {@link ActionFailure} classified by status, and the outcome's error.
 */
public final class PlaywrightEngine {
    /** The artifact kind of the page as it was when a run failed. */
    public static final String FAILURE_SCREENSHOT = "failure_screenshot";
    private static final Logger LOG = LoggerFactory.getLogger(PlaywrightEngine.class);

    private final BrowserSettings settings;
    private final Clock clock;
    private final ContextSource contexts;

    public PlaywrightEngine(BrowserSettings settings, Clock clock) {
        this(settings, clock, new FreshContexts(settings));
    }

    public PlaywrightEngine(BrowserSettings settings, Clock clock, ContextSource contexts) {
        this.settings = settings;
        this.clock = clock;
        this.contexts = contexts;
    }

    /**
     * @param listener what the actions need from the task around them (artifacts, files, credentials, live view)
     * @param control  asked inside long waits whether the run may go on (the program asks between its steps)
     */
    public EngineOutcome run(BrowserHost host, ContextSpec spec, PageProgram program, EngineListener listener,
                             TaskControl control) {
        BrowsingRules rules;
        try {
            rules = BrowsingRules.of(spec.browsing(), settings.proxies());
        } catch (ActionFailure f) {
            return notStarted(spec, f, Json.mapper().createArrayNode());
        }
        NetworkLog network = new NetworkLog(clock, rules);
        Browser browser;
        try {
            browser = host.browser();
        } catch (ActionFailure f) {
            return notStarted(spec, f, network.toJson());
        }
        Redactor redactor = new Redactor();
        Dialogs dialogs = new Dialogs();
        ContextSource.Opened opened = null;
        RunListeners listeners = null;
        TaskRecorder recorder = TaskRecorder.NONE;
        ActionExecutor executor = null;
        EngineOutcome outcome = null;
        try {
            opened = contexts.open(host, spec);
            BrowserContext context = opened.context();
            browser = context.browser();
            host.proxy().listener(network);
            // every page of the task, popups included, has its requests logged and its dialogs bounded
            listeners = new RunListeners(context, network, dialogs);
            Page page = opened.page();
            listeners.watch(page);
            recorder = TaskRecorder.start(spec.recording(), opened, clock);
            if (!opened.warm() && spec.resumeUrl() != null && !spec.resumeUrl().startsWith("about:")) {
                reopen(page, spec.resumeUrl());
            }
            executor = new ActionExecutor(settings, clock, host, browser, network, control, redactor, listener,
                    spec.options(), dialogs);
            TaskError error = program.run(page, recorder.marking(executor));
            outcome = new EngineOutcome(redactor.redact(page.url()), context.storageState(), error, null,
                    redacted(network, redactor));
        } catch (TaskInterrupted i) {
            outcome = ended(opened, browser, host, spec, null, i.reason(), network, redactor);
        } catch (ActionFailure f) {
            keepFailureScreenshot(opened, browser, listener);
            outcome = ended(opened, browser, host, spec, error(f, redactor), null, network, redactor);
        } catch (PlaywrightException e) {
            ActionFailure f = null;
            try {
                f = executor != null ? executor.failure(e) : PlaywrightFailures.classify(e, browser);
            } catch (TaskInterrupted i) {
                outcome = ended(opened, browser, host, spec, null, i.reason(), network, redactor);
            }
            if (f != null) {
                keepFailureScreenshot(opened, browser, listener);
                outcome = ended(opened, browser, host, spec, error(f, redactor), null, network, redactor);
            }
        } finally {
            EgressProxy proxy = host.proxyIfRunning();
            if (proxy != null) {
                proxy.listener(null);
            }
            if (opened != null) {
                recorder.finish(redactor, listener);
                boolean reusable = listeners != null && listeners.stop() && !redactor.secretsEntered()
                        && reusable(opened, outcome);
                contexts.release(host, spec, opened, reusable);
            }
        }
        return outcome;
    }

    /**
     * Whether the session's next task may continue in this context: the run ended with its page alive and a state
     * to save (which the worker saves under the spec's next version), and the task was not taken over. (A run that
     * put a secret into the page never keeps it: see {@link Redactor#secretsEntered()}.)
     */
    private static boolean reusable(ContextSource.Opened opened, EngineOutcome outcome) {
        if (outcome == null || outcome.storageState() == null
                || outcome.interrupted() == TaskInterrupted.Reason.LOST) {
            return false;
        }
        Browser browser = opened.context().browser();
        return browser != null && browser.isConnected() && !opened.page().isClosed();
    }

    /**
     * What the engine listens to during one run, taken off again at its end: a warm context serves the session's
     * next run, which must not log into this run's network log nor count its dialogs.
     */
    private static final class RunListeners {
        private final BrowserContext context;
        private final Dialogs dialogs;
        private final Consumer<Request> onRequest;
        private final Consumer<WebSocket> onWebSocket;
        private final Consumer<Page> onPage;
        private final Consumer<Page> onCrash = p -> crashed = true;
        private final List<Page> watched = new ArrayList<>();
        private final List<Runnable> unwatch = new ArrayList<>();
        private boolean crashed;

        RunListeners(BrowserContext context, NetworkLog network, Dialogs dialogs) {
            this.context = context;
            this.dialogs = dialogs;
            this.onRequest = r -> network.page(r.method(), r.url(), r.resourceType());
            // WebSockets raise no request event; the log needs them as page requests all the same
            this.onWebSocket = ws -> network.page("GET", ws.url(), "websocket");
            this.onPage = this::watch;
            context.onRequest(onRequest);
            context.onPage(onPage);
        }

        void watch(Page page) {
            if (!watched.contains(page)) {
                watched.add(page);
                page.onWebSocket(onWebSocket);
                page.onCrash(onCrash);
                unwatch.add(dialogs.watch(page));
            }
        }

        /** Takes the listeners off; false when a page of the run crashed. Never throws. */
        boolean stop() {
            try {
                context.offRequest(onRequest);
                context.offPage(onPage);
                for (Page p : watched) {
                    p.offWebSocket(onWebSocket);
                    p.offCrash(onCrash);
                }
                unwatch.forEach(Runnable::run);
                return !crashed;
            } catch (RuntimeException e) {
                LOG.debug("taking the run's listeners off: {}", e.getMessage());
                return false;
            }
        }
    }

    /**
     * The page as it was when the run failed, kept as the task's {@code failure_screenshot} artifact: what a caller
     * needs to see why an action failed. Best effort, bounded: a crashed page or browser has nothing to show.
     */
    private static void keepFailureScreenshot(ContextSource.Opened opened, Browser browser,
                                              EngineListener listener) {
        if (opened == null || !browser.isConnected() || opened.page().isClosed()) {
            return;
        }
        try {
            byte[] png = opened.page().screenshot(new Page.ScreenshotOptions().setTimeout(5_000));
            listener.saveArtifact(FAILURE_SCREENSHOT, "failure.png", "image/png", png);
        } catch (PlaywrightException | dev.tabrunner.port.StoreUnavailableException e) {
            // the failure itself is what the caller must hear of; a missing picture of it must not replace it
            LOG.debug("no screenshot of the failed page: {}", e.getMessage());
        }
    }

    /** The network log as it may leave the engine: a login's GET form puts the password into a URL. */
    private static ArrayNode redacted(NetworkLog network, Redactor redactor) {
        return (ArrayNode) redactor.redact(network.toJson());
    }

    /** A run that ended before it had a context: no state to save, the URL it would have reopened. */
    private static EngineOutcome notStarted(ContextSpec spec, ActionFailure f, ArrayNode network) {
        return new EngineOutcome(spec.resumeUrl(), null, TaskError.of(f.status(), f.code(), f.getMessage()), null,
                network);
    }

    private static TaskError error(ActionFailure f, Redactor redactor) {
        return new TaskError(f.status(), f.code(), redactor.redact(f.getMessage()), f.actionIndex(),
                f.actionIndex() < 0 ? null : f.actionType());
    }

    /** Saves what can be saved of a run that did not reach its end. */
    private static EngineOutcome ended(ContextSource.Opened opened, Browser browser, BrowserHost host,
                                       ContextSpec spec, TaskError error, TaskInterrupted.Reason interrupted,
                                       NetworkLog network, Redactor redactor) {
        String state = null;
        String url = spec.resumeUrl();
        if (browser.isConnected() && opened != null) {
            try {
                BrowserContext context = opened.context();
                state = context.storageState();
                if (!opened.page().isClosed()) {
                    url = opened.page().url();
                } else if (!context.pages().isEmpty()) {
                    url = context.pages().get(0).url();
                }
            } catch (PlaywrightException e) {
                LOG.debug("no state after the run ended early: {}", e.getMessage());
            }
        }
        if (!browser.isConnected()) {
            host.closeBrowserQuietly();
        }
        return new EngineOutcome(redactor.redact(url), state, error, interrupted, redacted(network, redactor));
    }

    private static void reopen(Page page, String url) {
        try {
            page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.LOAD));
        } catch (TimeoutError e) {
            LOG.info("reopening the session's last page timed out; continuing on what loaded");
        }
    }
}
