package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.SelectOption;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.OriginPattern;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Carries out seed-000 actions on a page for one run: the same code for a scripted task's list and an agent's
 * steps. A timeout on a locator is told apart as nothing matched (404) or never actionable (408); every other
 * Playwright exception is classified by {@link PlaywrightFailures}.
 */
final class ActionExecutor implements PageActions {
    private static final Logger LOG = LoggerFactory.getLogger(ActionExecutor.class);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tabrunner-script-watchdog").factory());

    private final BrowserSettings settings;
    private final Clock clock;
    private final BrowserHost host;
    private final Browser browser;
    private final NetworkLog network;
    private final TaskControl control;
    private final Redactor redactor;
    private final EngineListener listener;
    private final SessionOptions session;
    private final Dialogs dialogs;
    private volatile boolean scriptKilled;
    private long scriptTimeoutMs;
    private int counter;

    /**
     * @param session the session's options, which a login's own context copies
     * @param dialogs the run's dialog guard: a page it closed fails its action with {@code too_many_dialogs}
     */
    ActionExecutor(BrowserSettings settings, Clock clock, BrowserHost host, Browser browser, NetworkLog network,
                   TaskControl control, Redactor redactor, EngineListener listener, SessionOptions session,
                   Dialogs dialogs) {
        this.settings = settings;
        this.clock = clock;
        this.host = host;
        this.browser = browser;
        this.network = network;
        this.control = control;
        this.redactor = redactor;
        this.listener = listener;
        this.session = session;
        this.dialogs = dialogs;
    }

    @Override
    public ObjectNode run(Page page, Action action) {
        control.duringAction();
        return run(page, action, counter++);
    }

    @Override
    public ObjectNode run(Page page, Action action, int index) {
        listener.betweenActions(page);
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("type", action.type());
        try {
            perform(page, action, index, result);
            StartupTimeline.reached(StartupTimeline.Stage.FIRST_ACTION_DONE);
        } catch (PlaywrightException e) {
            throw failure(e);
        } catch (ActionFailure f) {
            throw explained(f);
        }
        // whatever the site echoed of a secret (a URL, a value) is scrubbed before it leaves the engine
        return (ObjectNode) redactor.redact(result);
    }

    @Override
    public String redact(String text) {
        return redactor.redact(text);
    }

    /**
     * A Playwright exception of this run as the caller sees it: a stop request that cut the action short stops the
     * task, a script the watchdog ended says so, a page closed for its dialogs says so.
     *
     * @throws TaskInterrupted when the task must end at once (the stop's own way of ending an action)
     */
    ActionFailure failure(PlaywrightException e) {
        return explained(scriptKilled ? PlaywrightFailures.scriptTimeout(scriptTimeoutMs)
                : PlaywrightFailures.classify(e, browser));
    }

    private ActionFailure explained(ActionFailure f) {
        control.duringAction();
        if (dialogs.overflowed()) {
            return Dialogs.failure();
        }
        return f;
    }

    private void perform(Page page, Action action, int index, ObjectNode result) {
        // no default: a new action type does not compile until it is carried out here
        switch (action) {
            case Action.Navigate a -> {
                Response r = navigate(page, a.url(), a.waitUntil(), a.timeoutMs());
                result.put("url", page.url());
                if (r != null) {
                    result.put("status", r.status());
                }
            }
            case Action.Click a -> {
                if (a.coordinates() != null) {
                    page.mouse().click(a.coordinates().x(), a.coordinates().y());
                } else {
                    withSelector(page, a.selector(), a, l -> l.click(new Locator.ClickOptions()
                            .setTimeout(timeout(a))));
                }
            }
            case Action.Type a -> withSelector(page, a.selector(), a,
                    l -> l.fill(a.text(), new Locator.FillOptions().setTimeout(timeout(a))));
            case Action.Press a -> {
                if (a.selector() != null) {
                    withSelector(page, a.selector(), a,
                            l -> l.press(a.key(), new Locator.PressOptions().setTimeout(timeout(a))));
                } else {
                    page.keyboard().press(a.key());
                }
            }
            case Action.Scroll a -> scroll(page, a, result);
            case Action.Wait a -> {
                Locator l = a.selector() != null ? page.locator(a.selector()).first()
                        : page.getByText(a.text()).first();
                waitVisible(l, (long) timeout(a), (a.selector() != null ? "selector '"
                        + a.selector() + "'" : "text '" + a.text() + "'"));
            }
            case Action.Evaluate a -> {
                Object value = evaluateWithDeadline(page, a.script(), (long) timeout(a));
                result.set("value", Json.mapper().<JsonNode>valueToTree(value));
            }
            case Action.Screenshot a -> {
                byte[] png = a.selector() != null
                        ? withSelectorValue(page, a.selector(), a,
                        l -> l.screenshot(new Locator.ScreenshotOptions().setTimeout(timeout(a))))
                        : page.screenshot();
                Artifact artifact = listener.saveArtifact("action-screenshot", "action-" + index + ".png",
                        "image/png", png);
                result.put("artifactId", artifact.id());
            }
            case Action.UploadFile a -> {
                EngineListener.UploadedBytes file = listener.uploadedFile(a.filename()).orElseThrow(() ->
                        new ActionFailure(404, "file_not_found", "no file named '" + a.filename()
                                + "' was uploaded to this session (POST /browser/sessions/{id}/files)"));
                withSelector(page, a.selector(), a, l -> l.setInputFiles(
                        new FilePayload(file.name(), file.contentType(), file.bytes()),
                        new Locator.SetInputFilesOptions().setTimeout(timeout(a))));
                result.put("filename", file.name());
            }
            case Action.Select a -> {
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
            }
            case Action.Hover a -> withSelector(page, a.selector(), a,
                    l -> l.hover(new Locator.HoverOptions().setTimeout(timeout(a))));
            case Action.Authenticate a -> authenticate(page, a, result);
        }
    }

    private void scroll(Page page, Action.Scroll a, ObjectNode result) {
        if (a.coordinates() != null) {
            page.evaluate("([x, y]) => window.scrollTo(x, y)", List.of(a.coordinates().x(), a.coordinates().y()));
        } else if (a.selector() != null) {
            withSelector(page, a.selector(), a, l -> l.scrollIntoViewIfNeeded(
                    new Locator.ScrollIntoViewIfNeededOptions().setTimeout(timeout(a))));
        } else {
            withLocator(page.getByText(a.text()).first(), "text '" + a.text() + "'", a,
                    l -> l.scrollIntoViewIfNeeded(new Locator.ScrollIntoViewIfNeededOptions().setTimeout(timeout(a))));
        }
        Object pos = page.evaluate("() => [window.scrollX, window.scrollY]");
        JsonNode xy = Json.mapper().valueToTree(pos);
        result.put("scrollX", xy.get(0).asDouble());
        result.put("scrollY", xy.get(1).asDouble());
    }

    /**
     * Logs in on a page of its own {@link LoginContext}, never on the task's page (ADR 0020): the task's page is
     * only sent to where the login ended once it succeeded, with the login's cookies and storage.
     */
    private void authenticate(Page page, Action.Authenticate a, ObjectNode result) {
        // whatever the mode, a password may be in the page from here on
        redactor.secretEnteredUnseen();
        LoginFlow login = new LoginFlow(clock, redactor, control);
        String startUrl = page.url();
        if (a.mode() == Action.AuthMode.PROMPT_USER) {
            try (LoginContext context = LoginContext.open(browser, page.context(), session, settings, startUrl,
                    List.of(), network)) {
                result.setAll(login.prompt(context.page(), a, listener));
                carry(page, context);
            }
            return;
        }
        EngineListener.ResolvedCredential credential = listener.credential(a.credentialId())
                .orElseThrow(() -> new ActionFailure(404, "credential_not_found", "credential "
                        + a.credentialId() + " not found"));
        login.remember(credential);
        List<OriginPattern> origins = credential.origins().stream().map(OriginPattern::parse).toList();
        if (origins.stream().noneMatch(o -> o.matches(startUrl))) {
            throw new ActionFailure(422, "domain_mismatch", "the page is not on an origin this credential is"
                    + " registered for; nothing was typed");
        }
        try (LoginContext context = LoginContext.open(browser, page.context(), session, settings, startUrl,
                origins, network)) {
            try {
                result.setAll(login.run(context, a, credential, timeout(a)));
            } catch (ActionFailure vaultFailed) {
                // a wrong password or an extra challenge: hand over to a person; an origin refusal stays final
                if (a.mode() != Action.AuthMode.VAULT_THEN_PROMPT || vaultFailed.code().equals("domain_mismatch")) {
                    throw vaultFailed;
                }
                result.setAll(login.prompt(context.page(), a, listener));
                result.put("reason", "vault_failed_user_completed");
            }
            carry(page, context);
        }
    }

    /** The login's cookies and storage into the task's context, and the task's page to where the login ended. */
    private void carry(Page page, LoginContext context) {
        String landed = context.carryInto(page.context(), redactor::reveals);
        if (landed != null) {
            navigate(page, landed, WaitUntil.LOAD, null);
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

    private Response navigate(Page page, String url, WaitUntil waitUntil, Long timeoutMs) {
        EgressPolicy.Verdict verdict = settings.egress().checkUrl(url);
        if (verdict.unresolved()) {
            throw new ActionFailure(422, "navigation_failed", "navigating to " + url + " failed: "
                    + verdict.reason());
        }
        if (!verdict.allowed()) {
            throw PlaywrightFailures.destinationBlocked(url, verdict.reason());
        }
        Page.NavigateOptions o = new Page.NavigateOptions().setWaitUntil(waitState(waitUntil));
        if (timeoutMs != null) {
            o.setTimeout(timeoutMs);
        }
        int blockedBefore = network.blockedCount();
        int upstreamFailuresBefore = network.upstreamFailureCount();
        try {
            Response response = page.navigate(url, o);
            String egress = response == null ? null
                    : response.headers().get(EgressProxy.BLOCKED_HEADER.toLowerCase(Locale.ROOT));
            if (EgressProxy.UPSTREAM_FAILED.equals(egress)) {
                throw PlaywrightFailures.upstreamFailed(url, network);
            }
            if (egress != null) {
                // refused itself by the task's rules, or allowed but redirected somewhere the proxy refused
                throw PlaywrightFailures.destinationBlocked(url, network.lastBlocked());
            }
            return response;
        } catch (TimeoutError e) {
            throw new ActionFailure(408, "navigation_timeout", "navigating to " + url + " did not finish in time");
        } catch (PlaywrightException e) {
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            if (network.upstreamFailureCount() > upstreamFailuresBefore) {
                throw PlaywrightFailures.upstreamFailed(url, network);
            }
            // a refused tunnel (https, or a redirect to one) fails the navigation itself; a refusal of anything else
            // meanwhile (the browser's own background requests) says nothing about this navigation
            if (network.blockedCount() > blockedBefore
                    && String.valueOf(e.getMessage()).contains("ERR_TUNNEL_CONNECTION_FAILED")) {
                throw PlaywrightFailures.destinationBlocked(url, network.lastBlocked());
            }
            if (String.valueOf(e.getMessage()).contains("crashed")) {
                throw PlaywrightFailures.pageCrashed();
            }
            throw new ActionFailure(422, "navigation_failed", "navigating to " + url + " failed: "
                    + BrowserHost.firstLine(e.getMessage()).replaceFirst("^Error: ", ""));
        }
    }

    /**
     * Playwright gives evaluate no timeout, and a script that never returns blocks its renderer for good. A
     * watchdog ends it from outside: it kills the renderer processes of this host's browser (one task at a time
     * runs on a host, so they are this task's), which fails the evaluate at once and leaves the browser itself
     * serving the next task.
     */
    private Object evaluateWithDeadline(Page page, String script, long timeoutMs) {
        scriptTimeoutMs = timeoutMs;
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            scriptKilled = true;
            int killed = host.killRenderers();
            LOG.info("evaluate ran past {} ms; killed {} renderer process(es)", timeoutMs, killed);
        }, timeoutMs, TimeUnit.MILLISECONDS);
        try {
            Object value = page.evaluate(script);
            watchdog.cancel(false);
            if (scriptKilled) {
                throw PlaywrightFailures.scriptTimeout(timeoutMs);
            }
            return value;
        } catch (PlaywrightException e) {
            watchdog.cancel(false);
            if (scriptKilled) {
                throw PlaywrightFailures.scriptTimeout(timeoutMs);
            }
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            if (page.isClosed() || String.valueOf(e.getMessage()).contains("crashed")) {
                throw PlaywrightFailures.pageCrashed();
            }
            throw new ActionFailure(422, "evaluate_failed", "the script threw: " + PlaywrightFailures.scriptError(e));
        }
    }

    private double timeout(Action action) {
        return action.timeoutMs() != null ? action.timeoutMs() : settings.actionTimeoutMs();
    }

    /**
     * Waits in slices of at most a second, so that a stop request reaches a long wait within about a second
     * instead of at its end.
     */
    private void waitVisible(Locator locator, long timeoutMs, String what) {
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
}
