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
import dev.tabrunner.domain.Totp;
import dev.tabrunner.json.Json;

import java.time.Clock;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/**
 * The {@code authenticate} action on the page of its own {@link LoginContext} (ADR 0020), never on the task's
 * page. In {@code vault} mode: find the login form (given selectors, or by the usual attributes, in any frame,
 * across a two-step "Next" flow), arm the login's navigation guard, then before each value is typed verify that the
 * page and the frame holding the field are on one of the credential's origins and that no frame tried to leave them;
 * fill, add a fresh TOTP code, submit, and wait for the success condition. Secret values are only ever passed to
 * {@code fill}; they are never returned or logged. In {@code prompt_user} mode a person does the same through the
 * live view.
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
    /** Longest single wait inside a login: a violation or a stop is noticed within it. */
    private static final long SLICE_MS = 250;
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
     * Frames go out as Chromium paints them ({@link Screencast}); the person's clicks and keys are applied every
     * {@link #FRAME_INTERVAL_MS}, and their "Done" ends the wait with the success condition's verdict.
     */
    ObjectNode prompt(Page page, Action.Authenticate a, EngineListener listener) {
        long pauseMs = a.pauseTimeoutMs() != null ? a.pauseTimeoutMs() : DEFAULT_PAUSE_MS;
        long deadline = System.nanoTime() + pauseMs * 1_000_000;
        String startUrl = page.url();
        try (EngineListener.LiveSession live = listener.openLiveView(java.time.Duration.ofMillis(pauseMs))) {
            boolean cast = live.cast(page);
            live.asking(true);
            try {
                return waitForPerson(page, a, live, cast, deadline, startUrl);
            } finally {
                live.asking(false);
            }
        }
    }

    private ObjectNode waitForPerson(Page page, Action.Authenticate a, EngineListener.LiveSession live, boolean cast,
                                     long deadline, String startUrl) {
        while (System.nanoTime() < deadline) {
            boolean done = false;
            for (com.fasterxml.jackson.databind.JsonNode event : live.drainInput()) {
                done |= LiveInput.isDone(event);
                LiveInput.apply(page, event);
            }
            if (successNow(page, a.success(), startUrl)) {
                ObjectNode result = Json.mapper().createObjectNode();
                result.put("success", true);
                result.put("reason", "user_completed");
                return result;
            }
            if (done) {
                // the person says they are done, and the condition says otherwise: no use waiting on
                throw new ActionFailure(422, "success_condition_not_met", "the person finished on the live view"
                        + " but the login's success condition does not hold");
            }
            if (!cast) {
                byte[] frame = LiveInput.frame(page);
                if (frame != null) {
                    // null mid-navigation; the next round publishes
                    live.publishFrame(frame);
                }
            }
            control.duringAction();
            page.waitForTimeout(FRAME_INTERVAL_MS);
        }
        long pauseMs = a.pauseTimeoutMs() != null ? a.pauseTimeoutMs() : DEFAULT_PAUSE_MS;
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

    /** Adds the credential's secrets to the run's redactor: whatever the site echoes of them is scrubbed. */
    void remember(EngineListener.ResolvedCredential credential) {
        redactor.add(credential.secret().password());
        redactor.add(credential.secret().totpSecret());
    }

    ObjectNode run(LoginContext login, Action.Authenticate a, EngineListener.ResolvedCredential credential,
                   double timeoutMs) {
        Page page = login.page();
        Action.LoginSelectors sel = a.selectors() == null ? new Action.LoginSelectors(null, null, null, null)
                : a.selectors();
        dismissConsent(page);

        Locator user = find(login, sel.username() != null ? sel.username() : USERNAME, timeoutMs,
                "no username field found");
        Frame frame = user.elementHandle().ownerFrame();
        // from the first value typed on, no frame may leave the credential's origins
        login.arm();
        login.requireOrigin(frame, user);
        Locator password = frame.locator(sel.password() != null ? sel.password() : PASSWORD).first();
        if (!password.isVisible()) {
            // two-step login: the username goes first, the password field appears after "Next"
            user.fill(credential.secret().username());
            login.requireNoViolation();
            frame.locator(NEXT).first().click(new Locator.ClickOptions().setTimeout(timeoutMs));
            waitVisible(login, password, timeoutMs);
            frame = password.elementHandle().ownerFrame();
        } else {
            login.requireOrigin(frame, user);
            user.fill(credential.secret().username());
        }
        login.requireOrigin(frame, password);
        password.fill(credential.secret().password());

        boolean totpFilled = false;
        if (credential.secret().totpSecret() != null) {
            Locator totp = frame.locator(sel.totp() != null ? sel.totp() : TOTP).first();
            if (totp.isVisible()) {
                String code = totpCode(credential.secret().totpSecret());
                login.requireOrigin(frame, totp);
                totp.fill(code);
                totpFilled = true;
            }
        }
        login.requireOrigin(frame, password);
        submit(frame, password, sel);
        if (credential.secret().totpSecret() != null && !totpFilled) {
            Locator totp = page.locator(sel.totp() != null ? sel.totp() : TOTP).first();
            try {
                totp.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(3_000));
                Frame totpFrame = totp.elementHandle().ownerFrame();
                String code = totpCode(credential.secret().totpSecret());
                login.requireOrigin(totpFrame, totp);
                totp.fill(code);
                submit(totpFrame, totp, new Action.LoginSelectors(null, null, null, null));
            } catch (TimeoutError e) {
                // no second factor asked for; the success condition decides
            }
        }
        login.requireNoViolation();
        login.submitted();
        awaitSuccess(login, a.success(), timeoutMs);
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

    private Locator find(LoginContext login, String selector, double timeoutMs, String notFound) {
        Page page = login.page();
        long deadline = System.nanoTime() + (long) (timeoutMs * 1_000_000);
        do {
            login.requireNoViolation();
            control.duringAction();
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

    /** Waits for the password field of a two-step form; a "Next" that left the origins fails at once. */
    private void waitVisible(LoginContext login, Locator field, double timeoutMs) {
        inSlices(login, timeoutMs, () -> new ActionFailure(404, "selector_not_found", "no password field appeared"),
                slice -> field.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE)
                        .setTimeout(slice)));
    }

    /**
     * Waits in slices of at most {@value #SLICE_MS} ms, so that a frame leaving the origins or a stop request ends
     * the wait at once.
     *
     * @param wait one slice of the wait: returns when done, throws {@link TimeoutError} when not yet
     */
    private void inSlices(LoginContext login, double timeoutMs, Supplier<ActionFailure> timedOut,
                          DoubleConsumer wait) {
        long deadline = System.nanoTime() + (long) (timeoutMs * 1_000_000);
        while (true) {
            login.requireNoViolation();
            control.duringAction();
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw timedOut.get();
            }
            try {
                wait.accept(Math.min(left, SLICE_MS));
                login.requireNoViolation();
                return;
            } catch (TimeoutError e) {
                // next slice
            }
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

    private void awaitSuccess(LoginContext login, Action.SuccessCondition success, double defaultTimeout) {
        Page page = login.page();
        double timeout = success != null && success.timeoutMs() != null ? success.timeoutMs() : defaultTimeout;
        inSlices(login, timeout, () -> new ActionFailure(408, "success_condition_not_met", "the login's success"
                + " condition was not met within " + (long) timeout + " ms"), slice -> {
                    if (success == null) {
                        page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(slice));
                        return;
                    }
                    switch (success.condition()) {
                        case "url" -> page.waitForURL(u -> u.contains(success.value()),
                                new Page.WaitForURLOptions().setTimeout(slice));
                        case "selector" -> page.locator(success.value()).first().waitFor(new Locator.WaitForOptions()
                                .setState(WaitForSelectorState.VISIBLE).setTimeout(slice));
                        case "text" -> page.getByText(success.value()).first().waitFor(new Locator.WaitForOptions()
                                .setState(WaitForSelectorState.VISIBLE).setTimeout(slice));
                        default -> page.waitForLoadState(LoadState.NETWORKIDLE,
                                new Page.WaitForLoadStateOptions().setTimeout(slice));
                    }
                });
    }
}
