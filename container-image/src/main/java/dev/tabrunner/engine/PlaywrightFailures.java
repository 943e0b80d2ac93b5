package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How what went wrong in the browser is told to the caller: each Playwright exception, and each refusal the
 * engine finds itself, becomes an {@link ActionFailure} with seed 000's status and a code the caller can act on.
 */
final class PlaywrightFailures {
    private static final Pattern ERROR_MESSAGE = Pattern.compile("message='([^\\n']*)");

    private PlaywrightFailures() {
    }

    /** Playwright renders a page-side Error as a multi-line dump; the caller wants its message. */
    static String scriptError(PlaywrightException e) {
        String raw = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = ERROR_MESSAGE.matcher(raw);
        return m.find() ? m.group(1) : BrowserHost.firstLine(raw);
    }

    /** A Playwright exception no step explained itself: the browser went away, a timeout, a bad selector, ... */
    static ActionFailure classify(PlaywrightException e, Browser browser) {
        String message = scriptError(e);
        if (browser.isConnected() && message.contains("crashed")) {
            // the page's renderer died (out of memory, killed); the browser serves on
            return pageCrashed();
        }
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

    static ActionFailure destinationBlocked(String url, String reason) {
        // a task's own rules are the caller's to change; the operator's policy is not
        return new ActionFailure(403, "destination_blocked", "the browser may not reach " + url + " ("
                + reason + ")" + (BrowsingRules.isTaskRefusal(reason) ? ""
                : "; operators allow destinations with TABRUNNER_EGRESS_ALLOW"));
    }

    static ActionFailure upstreamFailed(String url, NetworkLog network) {
        return new ActionFailure(502, "upstream_proxy_failed", "navigating to " + url + " failed: the proxy for '"
                + network.rules().country() + "' did not carry the request (" + network.lastUpstreamFailure() + ")");
    }

    static ActionFailure pageCrashed() {
        return new ActionFailure(503, "page_crashed", "the page crashed (out of memory, or its renderer was killed);"
                + " the next task gets a fresh page");
    }

    static ActionFailure scriptTimeout(long timeoutMs) {
        return new ActionFailure(408, "script_timeout", "the script did not finish within " + timeoutMs
                + " ms; its page was stopped");
    }
}
