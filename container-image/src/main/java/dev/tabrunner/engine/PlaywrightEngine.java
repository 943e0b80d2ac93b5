package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.Margin;
import com.microsoft.playwright.options.SelectOption;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.PdfOptions;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one scripted task in a fresh browser context built from the session's saved state, and hands back the
 * new state. Playwright exceptions never escape: each becomes an {@link ActionFailure} classified by status.
 */
public final class PlaywrightEngine {
    private static final Logger LOG = LoggerFactory.getLogger(PlaywrightEngine.class);

    private final BrowserSettings settings;
    private final Clock clock;

    public PlaywrightEngine(BrowserSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param storageState Playwright storageState JSON of the session, or null for a new session
     * @param resumeUrl    the URL to reopen unless the task navigates first: the session's last URL, or the URL of
     *                     the checkpoint when the run continues an earlier one
     * @param done         results of the actions an earlier run of this task completed (empty for a fresh run);
     *                     the run continues with the action after them
     * @param control      asked between actions (and inside long waits) whether the run may go on
     */
    public EngineOutcome run(BrowserHost host, SessionOptions options, String storageState, String resumeUrl,
                             TaskRequest request, ArrayNode done, EngineListener listener, TaskControl control) {
        ArrayNode results = done.deepCopy();
        NetworkLog network = new NetworkLog(clock, BrowsingRules.NONE);
        Browser browser;
        try {
            browser = host.browser();
        } catch (ActionFailure f) {
            return new EngineOutcome(results, resumeUrl, null, TaskError.of(f.status(), f.code(), f.getMessage()),
                    null, network.toJson());
        }
        Browser.NewContextOptions contextOptions = contextOptions(options, storageState, false);
        BrowserContext context = null;
        Redactor redactor = new Redactor();
        String finalUrl = resumeUrl;
        int start = results.size();
        int index = -1;
        String actionType = null;
        Run run = new Run(host, network, control, redactor);
        try {
            context = newContext(host, contextOptions);
            browser = context.browser();
            host.proxy().listener(network);
            context.onRequest(r -> network.page(r.method(), r.url(), r.resourceType()));
            context.setDefaultTimeout(settings.actionTimeoutMs());
            context.setDefaultNavigationTimeout(settings.navigationTimeoutMs());
            Page page = context.newPage();
            List<Action> actions = request.actions();
            boolean navigatesFirst = start == 0 ? request.startsWithNavigation()
                    : start < actions.size() && actions.get(start) instanceof Action.Navigate;
            if (!navigatesFirst && resumeUrl != null && !resumeUrl.startsWith("about:")) {
                reopen(page, resumeUrl);
            }
            if (request.url() != null && start == 0) {
                actionType = "url";
                navigate(page, request.url(), request.waitUntil(), null, run);
            }
            for (index = start; index < actions.size(); index++) {
                control.betweenActions();
                Action action = actions.get(index);
                actionType = action.type();
                ObjectNode result = Json.mapper().createObjectNode();
                result.put("type", action.type());
                perform(page, action, index, result, listener, run);
                results.add(result);
                listener.actionCompleted(results.deepCopy(), page.url());
            }
            index = -1;
            actionType = null;
            finishOutputs(page, request, listener);
            finalUrl = page.url();
            return new EngineOutcome(results, finalUrl, context.storageState(), null, null, network.toJson());
        } catch (TaskInterrupted i) {
            return ended(context, browser, host, results, finalUrl, null, i.reason(), network);
        } catch (ActionFailure f) {
            return failed(context, browser, host, results, finalUrl, index, actionType, f, run);
        } catch (PlaywrightException e) {
            ActionFailure f = run.scriptKilled ? scriptTimeout(run.scriptTimeoutMs) : classify(e, browser);
            return failed(context, browser, host, results, finalUrl, index, actionType, f, run);
        } finally {
            EgressProxy proxy = host.proxyIfRunning();
            if (proxy != null) {
                proxy.listener(null);
            }
            if (context != null) {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing context: {}", e.getMessage());
                }
            }
        }
    }

    /** A fresh context with the session's options and saved state. */
    private static Browser.NewContextOptions contextOptions(SessionOptions options, String storageState,
                                                            boolean acceptDownloads) {
        Browser.NewContextOptions contextOptions = new Browser.NewContextOptions()
                .setViewportSize(options.viewport().width(), options.viewport().height())
                // service workers would serve cached responses without a request the task can see
                .setServiceWorkers(ServiceWorkerPolicy.BLOCK)
                .setAcceptDownloads(acceptDownloads);
        if (options.userAgent() != null) {
            contextOptions.setUserAgent(options.userAgent());
        }
        if (options.locale() != null) {
            contextOptions.setLocale(options.locale());
        }
        if (options.timezoneId() != null) {
            contextOptions.setTimezoneId(options.timezoneId());
        }
        if (storageState != null) {
            contextOptions.setStorageState(storageState);
        }
        return contextOptions;
    }

    /** What the steps of one run share. */
    private static final class Run {
        final BrowserHost host;
        final NetworkLog network;
        final TaskControl control;
        final Redactor redactor;
        volatile boolean scriptKilled;
        long scriptTimeoutMs;

        Run(BrowserHost host, NetworkLog network, TaskControl control, Redactor redactor) {
            this.host = host;
            this.network = network;
            this.control = control;
            this.redactor = redactor;
        }
    }

    /**
     * A browser that died between tasks may still look connected until the driver notices; one relaunch makes
     * the crash cost only the task that was running when it happened.
     */
    private static BrowserContext newContext(BrowserHost host, Browser.NewContextOptions options) {
        try {
            return host.browser().newContext(options);
        } catch (PlaywrightException e) {
            LOG.info("browser unusable ({}); relaunching", BrowserHost.firstLine(e.getMessage()));
            host.closeBrowserQuietly();
            return host.browser().newContext(options);
        }
    }

    private EngineOutcome failed(BrowserContext context, Browser browser, BrowserHost host, ArrayNode results,
                                 String finalUrl, int index, String actionType, ActionFailure f, Run run) {
        TaskError error = new TaskError(f.status(), f.code(), run.redactor.redact(f.getMessage()), index,
                index < 0 ? null : actionType);
        return ended(context, browser, host, results, finalUrl, error, null, run.network);
    }

    /** Saves what can be saved of a run that did not reach its end. */
    private EngineOutcome ended(BrowserContext context, Browser browser, BrowserHost host, ArrayNode results,
                                String finalUrl, TaskError error, TaskInterrupted.Reason interrupted,
                                NetworkLog network) {
        String state = null;
        String url = finalUrl;
        if (browser.isConnected() && context != null) {
            try {
                state = context.storageState();
                if (!context.pages().isEmpty()) {
                    url = context.pages().get(0).url();
                }
            } catch (PlaywrightException e) {
                LOG.debug("no state after the run ended early: {}", e.getMessage());
            }
        }
        if (!browser.isConnected()) {
            host.closeBrowserQuietly();
        }
        return new EngineOutcome(results, url, state, error, interrupted, network.toJson());
    }

    private void reopen(Page page, String url) {
        try {
            page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.LOAD));
        } catch (TimeoutError e) {
            LOG.info("reopening the session's last page timed out; continuing on what loaded");
        }
    }

    private static WaitUntilState waitState(WaitUntil w) {
        if (w == null) {
            return WaitUntilState.LOAD;
        }
        return switch (w) {
            case DOMCONTENTLOADED -> WaitUntilState.DOMCONTENTLOADED;
            case LOAD -> WaitUntilState.LOAD;
            case NETWORKIDLE -> WaitUntilState.NETWORKIDLE;
        };
    }

    private Response navigate(Page page, String url, WaitUntil waitUntil, Long timeoutMs, Run run) {
        EgressPolicy.Verdict verdict = settings.egress().checkUrl(url);
        if (verdict.unresolved()) {
            throw new ActionFailure(422, "navigation_failed", "navigating to " + url + " failed: "
                    + verdict.reason());
        }
        if (!verdict.allowed()) {
            throw destinationBlocked(url, verdict.reason());
        }
        Page.NavigateOptions o = new Page.NavigateOptions().setWaitUntil(waitState(waitUntil));
        if (timeoutMs != null) {
            o.setTimeout(timeoutMs);
        }
        int blockedBefore = run.network.blockedCount();
        int upstreamFailuresBefore = run.network.upstreamFailureCount();
        try {
            Response response = page.navigate(url, o);
            String egress = response == null ? null
                    : response.headers().get(EgressProxy.BLOCKED_HEADER.toLowerCase(java.util.Locale.ROOT));
            if (EgressProxy.UPSTREAM_FAILED.equals(egress)) {
                throw upstreamFailed(url, run.network);
            }
            if (egress != null) {
                // refused itself by the task's rules, or allowed but redirected somewhere the proxy refused
                throw destinationBlocked(url, run.network.lastBlocked());
            }
            return response;
        } catch (TimeoutError e) {
            throw new ActionFailure(408, "navigation_timeout", "navigating to " + url + " did not finish in time");
        } catch (PlaywrightException e) {
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            if (run.network.upstreamFailureCount() > upstreamFailuresBefore) {
                throw upstreamFailed(url, run.network);
            }
            if (run.network.blockedCount() > blockedBefore) {
                throw destinationBlocked(url, run.network.lastBlocked());
            }
            throw new ActionFailure(422, "navigation_failed", "navigating to " + url + " failed: "
                    + BrowserHost.firstLine(e.getMessage()).replaceFirst("^Error: ", ""));
        }
    }

    private static ActionFailure destinationBlocked(String url, String reason) {
        // a task's own rules are the caller's to change; the operator's policy is not
        return new ActionFailure(403, "destination_blocked", "the browser may not reach " + url + " ("
                + reason + ")" + (BrowsingRules.isTaskRefusal(reason) ? ""
                : "; operators allow destinations with TABRUNNER_EGRESS_ALLOW"));
    }

    private static ActionFailure upstreamFailed(String url, NetworkLog network) {
        return new ActionFailure(502, "upstream_proxy_failed", "navigating to " + url + " failed: the proxy for '"
                + network.rules().country() + "' did not carry the request (" + network.lastUpstreamFailure() + ")");
    }

    private static ActionFailure scriptTimeout(long timeoutMs) {
        return new ActionFailure(408, "script_timeout", "the script did not finish within " + timeoutMs
                + " ms; its page was stopped");
    }

    /**
     * Playwright gives evaluate no timeout, and a script that never returns blocks its renderer for good. A
     * watchdog ends it from outside: it kills the renderer processes of this host's browser (one task at a time
     * runs on a host, so they are this task's), which fails the evaluate at once and leaves the browser itself
     * serving the next task.
     */
    private Object evaluateWithDeadline(BrowserHost host, Page page, String script, long timeoutMs, Run run) {
        run.scriptTimeoutMs = timeoutMs;
        java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            run.scriptKilled = true;
            int killed = host.killRenderers();
            LOG.info("evaluate ran past {} ms; killed {} renderer process(es)", timeoutMs, killed);
        }, timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            Object value = page.evaluate(script);
            watchdog.cancel(false);
            if (run.scriptKilled) {
                throw scriptTimeout(timeoutMs);
            }
            return value;
        } catch (PlaywrightException e) {
            watchdog.cancel(false);
            if (run.scriptKilled) {
                throw scriptTimeout(timeoutMs);
            }
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            if (page.isClosed() || String.valueOf(e.getMessage()).contains("crashed")) {
                throw new ActionFailure(503, "page_crashed", "the page crashed while the script ran (out of memory?)"
                        + "; the next task gets a fresh page");
            }
            throw new ActionFailure(422, "evaluate_failed", "the script threw: " + scriptError(e));
        }
    }

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tabrunner-script-watchdog");
                t.setDaemon(true);
                return t;
            });

    private double timeout(Action action) {
        return action.timeoutMs() != null ? action.timeoutMs() : settings.actionTimeoutMs();
    }

    private void perform(Page page, Action action, int index, ObjectNode result, EngineListener listener,
                         Run run) {
        Redactor redactor = run.redactor;
        if (action instanceof Action.Navigate a) {
            Response r = navigate(page, a.url(), a.waitUntil(), a.timeoutMs(), run);
            result.put("url", page.url());
            if (r != null) {
                result.put("status", r.status());
            }
        } else if (action instanceof Action.Click a) {
            if (a.coordinates() != null) {
                page.mouse().click(a.coordinates().x(), a.coordinates().y());
            } else {
                withSelector(page, a.selector(), a, l -> l.click(new Locator.ClickOptions()
                        .setTimeout(timeout(a))));
            }
        } else if (action instanceof Action.Type a) {
            withSelector(page, a.selector(), a,
                l -> l.fill(a.text(), new Locator.FillOptions().setTimeout(timeout(a))));
        } else if (action instanceof Action.Press a) {
            if (a.selector() != null) {
                withSelector(page, a.selector(), a,
                        l -> l.press(a.key(), new Locator.PressOptions().setTimeout(timeout(a))));
            } else {
                page.keyboard().press(a.key());
            }
        } else if (action instanceof Action.Scroll a) {
            if (a.coordinates() != null) {
                page.evaluate("([x, y]) => window.scrollTo(x, y)",
                        List.of(a.coordinates().x(), a.coordinates().y()));
            } else if (a.selector() != null) {
                withSelector(page, a.selector(), a, l -> l.scrollIntoViewIfNeeded(
                        new Locator.ScrollIntoViewIfNeededOptions().setTimeout(timeout(a))));
            } else {
                withLocator(page.getByText(a.text()).first(), "text '" + a.text() + "'", a,
                        l -> l.scrollIntoViewIfNeeded(
                                new Locator.ScrollIntoViewIfNeededOptions().setTimeout(timeout(a))));
            }
            Object pos = page.evaluate("() => [window.scrollX, window.scrollY]");
            JsonNode xy = Json.mapper().valueToTree(pos);
            result.put("scrollX", xy.get(0).asDouble());
            result.put("scrollY", xy.get(1).asDouble());
        } else if (action instanceof Action.Wait a) {
            Locator l = a.selector() != null ? page.locator(a.selector()).first()
                    : page.getByText(a.text()).first();
            waitVisible(l, (long) timeout(a), run.control, (a.selector() != null ? "selector '"
                    + a.selector() + "'" : "text '" + a.text() + "'"));
        } else if (action instanceof Action.Evaluate a) {
            Object value = evaluateWithDeadline(run.host, page, a.script(), (long) timeout(a), run);
            result.set("value", redactor.redact(Json.mapper().<JsonNode>valueToTree(value)));
        } else if (action instanceof Action.Screenshot a) {
            byte[] png = a.selector() != null
                    ? withSelectorValue(page, a.selector(), a,
                    l -> l.screenshot(new Locator.ScreenshotOptions().setTimeout(timeout(a))))
                    : page.screenshot();
            Artifact artifact = listener.saveArtifact("action-screenshot", "action-" + index + ".png",
                    "image/png", png);
            result.put("artifactId", artifact.id());
        } else if (action instanceof Action.UploadFile a) {
            EngineListener.UploadedBytes file = listener.uploadedFile(a.filename()).orElseThrow(() ->
                    new ActionFailure(404, "file_not_found", "no file named '" + a.filename()
                            + "' was uploaded to this session (POST /browser/sessions/{id}/files)"));
            withSelector(page, a.selector(), a, l -> l.setInputFiles(
                    new FilePayload(file.name(), file.contentType(), file.bytes()),
                    new Locator.SetInputFilesOptions().setTimeout(timeout(a))));
            result.put("filename", file.name());
        } else if (action instanceof Action.Select a) {
            List<String> selected = withSelectorValue(page, a.selector(), a, l -> {
                try {
                    return l.selectOption(new SelectOption().setLabel(a.text()),
                            new Locator.SelectOptionOptions().setTimeout(timeout(a)));
                } catch (TimeoutError e) {
                    if (l.count() > 0) {
                        throw new ActionFailure(422, "option_not_found", "no option labelled '" + a.text()
                                + "' in '" + a.selector() + "'");
                    }
                    throw e;
                }
            });
            result.set("selected", Json.mapper().valueToTree(selected));
        } else if (action instanceof Action.Hover a) {
            withSelector(page, a.selector(), a,
                l -> l.hover(new Locator.HoverOptions().setTimeout(timeout(a))));
        } else if (action instanceof Action.Authenticate a) {
            LoginFlow login = new LoginFlow(clock, redactor, run.control);
            if (a.mode() == Action.AuthMode.PROMPT_USER) {
                result.setAll(login.prompt(page, a, listener));
                return;
            }
            EngineListener.ResolvedCredential credential = listener.credential(a.credentialId())
                    .orElseThrow(() -> new ActionFailure(404, "credential_not_found", "credential "
                            + a.credentialId() + " not found"));
            try {
                result.setAll(login.run(page, a, credential, timeout(a)));
            } catch (ActionFailure vaultFailed) {
                // a wrong password or an extra challenge: hand over to a person; an origin refusal stays final
                if (a.mode() != Action.AuthMode.VAULT_THEN_PROMPT || vaultFailed.code().equals("domain_mismatch")) {
                    throw vaultFailed;
                }
                result.setAll(login.prompt(page, a, listener));
                result.put("reason", "vault_failed_user_completed");
            }
        } else {
            throw new IllegalStateException("unhandled action type " + action.type());
        }
    }

    /**
     * Waits in slices of at most a second, so that a stop request reaches a long wait within about a second
     * instead of at its end.
     */
    private static void waitVisible(Locator locator, long timeoutMs, TaskControl control, String what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new ActionFailure(408, "wait_timeout", what + " did not appear within " + timeoutMs + " ms");
            }
            try {
                locator.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE)
                        .setTimeout(Math.min(left, 1_000)));
                return;
            } catch (TimeoutError e) {
                control.duringAction();
            }
        }
    }

    private interface LocatorStep {
        void apply(Locator locator);
    }

    private interface LocatorFunction<T> {
        T apply(Locator locator);
    }

    private void withSelector(Page page, String selector, Action action, LocatorStep step) {
        withSelectorValue(page, selector, action, l -> {
            step.apply(l);
            return null;
        });
    }

    private <T> T withSelectorValue(Page page, String selector, Action action, LocatorFunction<T> fn) {
        return withLocatorValue(page.locator(selector).first(), "selector '" + selector + "'", action, fn);
    }

    private void withLocator(Locator locator, String what, Action action, LocatorStep step) {
        withLocatorValue(locator, what, action, l -> {
            step.apply(l);
            return null;
        });
    }

    /**
     * A timeout on a locator means one of two things the caller must be able to tell apart: nothing matched
     * (404) or something matched but never became actionable (408).
     */
    private <T> T withLocatorValue(Locator locator, String what, Action action, LocatorFunction<T> fn) {
        try {
            return fn.apply(locator);
        } catch (TimeoutError e) {
            int count;
            try {
                count = locator.count();
            } catch (PlaywrightException ignored) {
                count = 0;
            }
            if (count == 0) {
                throw new ActionFailure(404, "selector_not_found", what + " matched nothing");
            }
            throw new ActionFailure(408, "action_timeout", action.type() + " on " + what
                    + " did not complete within " + (long) timeout(action) + " ms");
        }
    }

    /**
     * Runs a {@link PageProgram} (an agent task) in a page prepared as {@link #run} prepares it: a fresh context
     * from the session's state, behind the egress proxy, with the network logged and the given URL reopened.
     * Unlike a scripted task, the page accepts downloads, which the program keeps as the task's files.
     *
     * @param resumeUrl the URL to open first (the session's, or the task's own when it continues), or null
     * @param browsing  the task's own network rules: allowed domains, ad blocking, the country of the operator's
     *                  proxy its traffic leaves through ({@code proxy_not_configured} when this worker has none)
     */
    public EngineOutcome runProgram(BrowserHost host, SessionOptions options, String storageState, String resumeUrl,
                                    BrowsingOptions browsing, PageProgram program, EngineListener listener,
                                    TaskControl control) {
        ArrayNode results = Json.mapper().createArrayNode();
        BrowsingRules rules;
        try {
            rules = BrowsingRules.of(browsing, settings.proxies());
        } catch (ActionFailure f) {
            return new EngineOutcome(results, resumeUrl, null, TaskError.of(f.status(), f.code(), f.getMessage()),
                    null, Json.mapper().createArrayNode());
        }
        NetworkLog network = new NetworkLog(clock, rules);
        Browser browser;
        try {
            browser = host.browser();
        } catch (ActionFailure f) {
            return new EngineOutcome(results, resumeUrl, null, TaskError.of(f.status(), f.code(), f.getMessage()),
                    null, network.toJson());
        }
        // the same context as run(), except that downloads are accepted
        Browser.NewContextOptions contextOptions = contextOptions(options, storageState, true);
        BrowserContext context = null;
        Run run = new Run(host, network, control, new Redactor());
        try {
            context = newContext(host, contextOptions);
            browser = context.browser();
            host.proxy().listener(network);
            context.onRequest(r -> network.page(r.method(), r.url(), r.resourceType()));
            context.setDefaultTimeout(settings.actionTimeoutMs());
            context.setDefaultNavigationTimeout(settings.navigationTimeoutMs());
            Page page = context.newPage();
            if (resumeUrl != null && !resumeUrl.startsWith("about:")) {
                reopen(page, resumeUrl);
            }
            Browser connected = browser;
            int[] counter = {0};
            TaskError error = program.run(page, new PageActions() {
                @Override
                public ObjectNode run(Page p, Action action) {
                    control.duringAction();
                    ObjectNode result = Json.mapper().createObjectNode();
                    result.put("type", action.type());
                    try {
                        perform(p, action, counter[0]++, result, listener, run);
                    } catch (PlaywrightException e) {
                        throw run.scriptKilled ? scriptTimeout(run.scriptTimeoutMs) : classify(e, connected);
                    }
                    return result;
                }

                @Override
                public String redact(String text) {
                    return run.redactor.redact(text);
                }
            });
            return new EngineOutcome(results, page.url(), context.storageState(), error, null, network.toJson());
        } catch (TaskInterrupted i) {
            return ended(context, browser, host, results, resumeUrl, null, i.reason(), network);
        } catch (ActionFailure f) {
            return failed(context, browser, host, results, resumeUrl, -1, null, f, run);
        } catch (PlaywrightException e) {
            ActionFailure f = run.scriptKilled ? scriptTimeout(run.scriptTimeoutMs) : classify(e, browser);
            return failed(context, browser, host, results, resumeUrl, -1, null, f, run);
        } finally {
            EgressProxy proxy = host.proxyIfRunning();
            if (proxy != null) {
                proxy.listener(null);
            }
            if (context != null) {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing context: {}", e.getMessage());
                }
            }
        }
    }

    private void finishOutputs(Page page, TaskRequest request, EngineListener listener) {
        if (request.screenshot() != null) {
            byte[] png;
            if (request.screenshot().selector() != null) {
                Locator l = page.locator(request.screenshot().selector()).first();
                try {
                    png = l.screenshot(new Locator.ScreenshotOptions().setTimeout(settings.actionTimeoutMs()));
                } catch (TimeoutError e) {
                    throw new ActionFailure(404, "selector_not_found", "screenshot selector '"
                            + request.screenshot().selector() + "' matched nothing");
                }
            } else {
                png = page.screenshot(new Page.ScreenshotOptions().setFullPage(request.screenshot().fullPage()));
            }
            listener.saveArtifact("screenshot", "screenshot.png", "image/png", png);
        }
        if (request.pdf() != null) {
            listener.saveArtifact("pdf", "page.pdf", "application/pdf", page.pdf(pdfOptions(request.pdf())));
        }
        if (request.content()) {
            listener.saveArtifact("content", "page.html", "text/html; charset=utf-8",
                    page.content().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Page.PdfOptions pdfOptions(PdfOptions p) {
        Page.PdfOptions o = new Page.PdfOptions().setLandscape(p.landscape()).setPrintBackground(p.printBackground());
        if (p.format() != null) {
            o.setFormat(p.format());
        }
        if (p.scale() != null) {
            o.setScale(p.scale());
        }
        if (p.margin() != null) {
            Margin m = new Margin();
            if (p.margin().top() != null) {
                m.setTop(p.margin().top());
            }
            if (p.margin().right() != null) {
                m.setRight(p.margin().right());
            }
            if (p.margin().bottom() != null) {
                m.setBottom(p.margin().bottom());
            }
            if (p.margin().left() != null) {
                m.setLeft(p.margin().left());
            }
            o.setMargin(m);
        }
        return o;
    }

    private static final Pattern ERROR_MESSAGE = Pattern.compile("message='([^\\n']*)");

    /** Playwright renders a page-side Error as a multi-line dump; the caller wants its message. */
    static String scriptError(PlaywrightException e) {
        String raw = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = ERROR_MESSAGE.matcher(raw);
        return m.find() ? m.group(1) : BrowserHost.firstLine(raw);
    }

    private static ActionFailure classify(PlaywrightException e, Browser browser) {
        String message = scriptError(e);
        if (!browser.isConnected() || message.contains("has been closed") || message.contains("Target closed")
                || message.contains("crashed")) {
            return ActionFailure.browserUnavailable(message);
        }
        if (e instanceof TimeoutError) {
            return new ActionFailure(408, "action_timeout", message);
        }
        if (message.contains("is not a valid selector") || message.contains("Unexpected token")
                || message.contains("Unknown engine") || message.contains("selector")
                && message.contains("parse")) {
            return new ActionFailure(400, "invalid_selector", message);
        }
        return new ActionFailure(422, "action_failed", message);
    }
}
