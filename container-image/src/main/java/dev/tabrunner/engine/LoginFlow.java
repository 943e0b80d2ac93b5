package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.tabrunner.action.Action;
import dev.tabrunner.domain.OriginPattern;
import dev.tabrunner.domain.Totp;
import dev.tabrunner.json.Json;

import java.time.Clock;
import java.util.List;

/**
 * The {@code authenticate} action in {@code vault} mode: find the login form (given selectors, or by the usual
 * attributes, in any frame, across a two-step "Next" flow), refuse unless both the page and the frame holding
 * the form are on one of the credential's origins, fill, add a fresh TOTP code, submit, and wait for the success
 * condition. Secret values are only ever passed to {@code fill}; they are never returned or logged.
 */
final class LoginFlow {
    private static final List<String> CONSENT_BUTTONS = List.of("#onetrust-accept-btn-handler",
            "#accept-cookies", "[data-testid=cookie-accept]", "button:has-text('Accept all')",
            "button:has-text('Accept cookies')", "button:has-text('Allow all')", "button:has-text('I agree')",
            "button:has-text('Accept')");
    private static final String USERNAME = "input[autocomplete=username], input[autocomplete=email], "
            + "input[type=email], input[name*=user i], input[name*=email i], input[name*=login i], "
            + "input[id*=user i], input[id*=email i], input[id*=login i]";
    private static final String PASSWORD = "input[type=password]";
    private static final String TOTP = "input[autocomplete=one-time-code], input[name*=otp i], input[name*=totp i], "
            + "input[id*=otp i], input[id*=totp i], input[name*=code i]";
    private static final String NEXT = "button:has-text('Next'), button:has-text('Continue'), button[type=submit], "
            + "input[type=submit]";
    private static final String SUBMIT = "button[type=submit]:visible, input[type=submit]:visible, "
            + "button:has-text('Log in'), button:has-text('Sign in'), button:has-text('Login'), "
            + "button:has-text('Verify')";
    private static final long DEFAULT_PAUSE_MS = 300_000;
    private static final int FRAME_INTERVAL_MS = 250;
    /** A code with less time than this left may expire in transit; wait for the next window instead. */
    private static final int MIN_TOTP_SECONDS = 5;

    private final Clock clock;
    private final Redactor redactor;
    private final TaskControl control;

    LoginFlow(Clock clock, Redactor redactor, TaskControl control) {
        this.control = control;
        this.clock = clock;
        this.redactor = redactor;
    }

    /**
     * {@code prompt_user}: a person logs in through the live view; done when the success condition holds.
     * Frames go out every {@link #FRAME_INTERVAL_MS}; the person's clicks and keys are applied as they come.
     */
    ObjectNode prompt(Page page, Action.Authenticate a, EngineListener listener) {
        long pauseMs = a.pauseTimeoutMs() != null ? a.pauseTimeoutMs() : DEFAULT_PAUSE_MS;
        long deadline = System.nanoTime() + pauseMs * 1_000_000;
        String startUrl = page.url();
        try (EngineListener.LiveSession live = listener.openLiveView(java.time.Duration.ofMillis(pauseMs))) {
            while (System.nanoTime() < deadline) {
                for (com.fasterxml.jackson.databind.JsonNode event : live.drainInput()) {
                    LiveInput.apply(page, event);
                }
                if (successNow(page, a.success(), startUrl)) {
                    ObjectNode result = Json.mapper().createObjectNode();
                    result.put("success", true);
                    result.put("reason", "user_completed");
                    return result;
                }
                byte[] frame = LiveInput.frame(page);
                if (frame != null) {
                    // null mid-navigation; the next round publishes
                    live.publishFrame(frame);
                }
                control.duringAction();
                page.waitForTimeout(FRAME_INTERVAL_MS);
            }
        }
        throw new ActionFailure(408, "success_condition_not_met", "nobody completed the login on the live view"
                + " within " + pauseMs + " ms");
    }

    private static boolean successNow(Page page, Action.SuccessCondition success, String startUrl) {
        try {
            if (success == null) {
                return !page.url().equals(startUrl);
            }
            return switch (success.condition()) {
                case "url" -> page.url().contains(success.value());
                case "selector" -> page.locator(success.value()).first().isVisible();
                case "text" -> page.getByText(success.value()).first().isVisible();
                default -> !page.url().equals(startUrl);
            };
        } catch (PlaywrightException e) {
            return false;
        }
    }

    ObjectNode run(Page page, Action.Authenticate a, EngineListener.ResolvedCredential credential, double timeoutMs) {
        redactor.add(credential.secret().password());
        redactor.add(credential.secret().totpSecret());
        List<OriginPattern> origins = credential.origins().stream().map(OriginPattern::parse).toList();
        Action.LoginSelectors sel = a.selectors() == null ? new Action.LoginSelectors(null, null, null, null)
                : a.selectors();
        dismissConsent(page);

        Locator user = find(page, sel.username() != null ? sel.username() : USERNAME, timeoutMs,
                "no username field found");
        Frame frame = user.elementHandle().ownerFrame();
        requireOrigin(page, frame, origins);
        Locator password = frame.locator(sel.password() != null ? sel.password() : PASSWORD).first();
        if (!password.isVisible()) {
            // two-step login: the username goes first, the password field appears after "Next"
            user.fill(credential.secret().username());
            frame.locator(NEXT).first().click(new Locator.ClickOptions().setTimeout(timeoutMs));
            try {
                password.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE)
                        .setTimeout(timeoutMs));
            } catch (TimeoutError e) {
                throw new ActionFailure(404, "selector_not_found", "no password field appeared");
            }
            frame = password.elementHandle().ownerFrame();
            requireOrigin(page, frame, origins);
        } else {
            user.fill(credential.secret().username());
        }
        password.fill(credential.secret().password());

        boolean totpFilled = false;
        if (credential.secret().totpSecret() != null) {
            Locator totp = frame.locator(sel.totp() != null ? sel.totp() : TOTP).first();
            if (totp.isVisible()) {
                totp.fill(totpCode(credential.secret().totpSecret()));
                totpFilled = true;
            }
        }
        submit(frame, password, sel);
        if (credential.secret().totpSecret() != null && !totpFilled) {
            Locator totp = page.locator(sel.totp() != null ? sel.totp() : TOTP).first();
            try {
                totp.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(3_000));
                Frame totpFrame = totp.elementHandle().ownerFrame();
                requireOrigin(page, totpFrame, origins);
                totp.fill(totpCode(credential.secret().totpSecret()));
                submit(totpFrame, totp, new Action.LoginSelectors(null, null, null, null));
            } catch (TimeoutError e) {
                // no second factor asked for; the success condition decides
            }
        }
        awaitSuccess(page, a.success(), timeoutMs);
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("success", true);
        result.put("reason", "logged_in");
        return result;
    }

    private String totpCode(String secret) {
        long now = clock.instant().getEpochSecond();
        int left = Totp.secondsLeft(now);
        if (left < MIN_TOTP_SECONDS) {
            try {
                Thread.sleep(left * 1000L + 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now = clock.instant().getEpochSecond();
        }
        String code = Totp.code(secret, now);
        redactor.add(code);
        return code;
    }

    private static void submit(Frame frame, Locator field, Action.LoginSelectors sel) {
        if (sel.submit() != null) {
            frame.locator(sel.submit()).first().click();
            return;
        }
        Locator button = frame.locator(SUBMIT).first();
        if (button.isVisible()) {
            button.click();
        } else {
            field.press("Enter");
        }
    }

    private static Locator find(Page page, String selector, double timeoutMs, String notFound) {
        long deadline = System.nanoTime() + (long) (timeoutMs * 1_000_000);
        do {
            for (Frame f : page.frames()) {
                Locator l = f.locator(selector).first();
                try {
                    if (l.isVisible()) {
                        return l;
                    }
                } catch (PlaywrightException e) {
                    // a frame that navigated away while we looked; try the others
                }
            }
            page.waitForTimeout(100);
        } while (System.nanoTime() < deadline);
        throw new ActionFailure(404, "selector_not_found", notFound);
    }

    private static void requireOrigin(Page page, Frame frame, List<OriginPattern> origins) {
        boolean pageOk = origins.stream().anyMatch(o -> o.matches(page.url()));
        boolean frameOk = origins.stream().anyMatch(o -> o.matches(frame.url()));
        if (!pageOk || !frameOk) {
            throw new ActionFailure(422, "domain_mismatch", "the login form is not on an origin this credential is"
                    + " registered for; nothing was typed");
        }
    }

    private static void dismissConsent(Page page) {
        for (String selector : CONSENT_BUTTONS) {
            Locator button = page.locator(selector).first();
            try {
                if (button.isVisible()) {
                    button.click(new Locator.ClickOptions().setTimeout(1_000));
                    return;
                }
            } catch (PlaywrightException e) {
                // a banner that vanished on its own is fine
            }
        }
    }

    private static void awaitSuccess(Page page, Action.SuccessCondition success, double defaultTimeout) {
        double timeout = success != null && success.timeoutMs() != null ? success.timeoutMs() : defaultTimeout;
        try {
            if (success == null) {
                page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(timeout));
                return;
            }
            switch (success.condition()) {
                case "url" -> page.waitForURL(u -> u.contains(success.value()),
                        new Page.WaitForURLOptions().setTimeout(timeout));
                case "selector" -> page.locator(success.value()).first().waitFor(new Locator.WaitForOptions()
                        .setState(WaitForSelectorState.VISIBLE).setTimeout(timeout));
                case "text" -> page.getByText(success.value()).first().waitFor(new Locator.WaitForOptions()
                        .setState(WaitForSelectorState.VISIBLE).setTimeout(timeout));
                default -> page.waitForLoadState(LoadState.NETWORKIDLE,
                        new Page.WaitForLoadStateOptions().setTimeout(timeout));
            }
        } catch (TimeoutError e) {
            throw new ActionFailure(408, "success_condition_not_met", "the login's success condition was not met"
                    + " within " + (long) timeout + " ms");
        }
    }
}
