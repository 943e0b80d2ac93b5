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
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.PdfOptions;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskError;
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
     * @param resumeUrl    the URL the session's last task ended on, reopened unless the task navigates first
     */
    public EngineOutcome run(BrowserHost host, SessionOptions options, String storageState, String resumeUrl,
                             TaskRequest request, EngineListener listener) {
        ArrayNode results = Json.mapper().createArrayNode();
        Browser browser;
        try {
            browser = host.browser();
        } catch (ActionFailure f) {
            return new EngineOutcome(results, resumeUrl, null, TaskError.of(f.status(), f.code(), f.getMessage()));
        }
        Browser.NewContextOptions contextOptions = new Browser.NewContextOptions()
                .setViewportSize(options.viewport().width(), options.viewport().height())
                .setAcceptDownloads(false);
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
        BrowserContext context = null;
        Redactor redactor = new Redactor();
        String finalUrl = resumeUrl;
        int index = -1;
        String actionType = null;
        try {
            context = newContext(host, contextOptions);
            browser = context.browser();
            context.setDefaultTimeout(settings.actionTimeoutMs());
            context.setDefaultNavigationTimeout(settings.navigationTimeoutMs());
            Page page = context.newPage();
            if (!request.startsWithNavigation() && resumeUrl != null && !resumeUrl.startsWith("about:")) {
                reopen(page, resumeUrl);
            }
            if (request.url() != null) {
                actionType = "url";
                navigate(page, request.url(), request.waitUntil(), null);
            }
            List<Action> actions = request.actions();
            for (index = 0; index < actions.size(); index++) {
                Action action = actions.get(index);
                actionType = action.type();
                ObjectNode result = Json.mapper().createObjectNode();
                result.put("type", action.type());
                perform(page, action, index, result, listener, redactor);
                results.add(result);
                listener.actionCompleted(results.deepCopy());
            }
            index = -1;
            actionType = null;
            finishOutputs(page, request, listener);
            finalUrl = page.url();
            return new EngineOutcome(results, finalUrl, context.storageState(), null);
        } catch (ActionFailure f) {
            return failed(context, browser, host, results, finalUrl, index, actionType, f, redactor);
        } catch (PlaywrightException e) {
            return failed(context, browser, host, results, finalUrl, index, actionType, classify(e, browser),
                    redactor);
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing context: {}", e.getMessage());
                }
            }
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
                                 String finalUrl, int index, String actionType, ActionFailure f,
                                 Redactor redactor) {
        String state = null;
        String url = finalUrl;
        if (browser.isConnected() && context != null) {
            try {
                state = context.storageState();
                if (!context.pages().isEmpty()) {
                    url = context.pages().get(0).url();
                }
            } catch (PlaywrightException e) {
                LOG.debug("no state after failure: {}", e.getMessage());
            }
        }
        if (!browser.isConnected()) {
            host.closeBrowserQuietly();
        }
        return new EngineOutcome(results, url, state, new TaskError(f.status(), f.code(),
                redactor.redact(f.getMessage()),
                index, index < 0 ? null : actionType));
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

    private Response navigate(Page page, String url, WaitUntil waitUntil, Long timeoutMs) {
        Page.NavigateOptions o = new Page.NavigateOptions().setWaitUntil(waitState(waitUntil));
        if (timeoutMs != null) {
            o.setTimeout(timeoutMs);
        }
        try {
            return page.navigate(url, o);
        } catch (TimeoutError e) {
            throw new ActionFailure(408, "navigation_timeout", "navigating to " + url + " did not finish in time");
        } catch (PlaywrightException e) {
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            throw new ActionFailure(422, "navigation_failed", "navigating to " + url + " failed: "
                    + BrowserHost.firstLine(e.getMessage()).replaceFirst("^Error: ", ""));
        }
    }

    private double timeout(Action action) {
        return action.timeoutMs() != null ? action.timeoutMs() : settings.actionTimeoutMs();
    }

    private void perform(Page page, Action action, int index, ObjectNode result, EngineListener listener,
                         Redactor redactor) {
        if (action instanceof Action.Navigate a) {
            Response r = navigate(page, a.url(), a.waitUntil(), a.timeoutMs());
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
            try {
                l.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE)
                        .setTimeout(timeout(a)));
            } catch (TimeoutError e) {
                throw new ActionFailure(408, "wait_timeout", (a.selector() != null ? "selector '"
                        + a.selector() + "'" : "text '" + a.text() + "'") + " did not appear within "
                        + (long) timeout(a) + " ms");
            }
        } else if (action instanceof Action.Evaluate a) {
            Object value;
            try {
                value = page.evaluate(a.script());
            } catch (PlaywrightException e) {
                if (!page.context().browser().isConnected()) {
                    throw ActionFailure.browserUnavailable("browser disconnected");
                }
                throw new ActionFailure(422, "evaluate_failed", "the script threw: " + scriptError(e));
            }
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
            LoginFlow login = new LoginFlow(clock, redactor);
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
