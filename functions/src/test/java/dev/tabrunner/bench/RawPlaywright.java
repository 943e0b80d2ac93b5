package dev.tabrunner.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;

import java.util.Map;

/**
 * The floor: the benchmark's task done with Playwright Java directly, in this process, on the worker's Chromium
 * binary with the worker's flags: a new page, navigate to the form, type, click, a PNG screenshot of the 1280x960
 * viewport. Without the egress proxy ({@link #direct}) it is the floor every figure is compared with; through it
 * ({@link #throughProxy}, the worker's {@link BrowserHost}) it measures what the proxy costs.
 */
final class RawPlaywright implements AutoCloseable {
    private final Playwright playwright;
    private final BrowserHost host;
    private final Browser browser;

    private RawPlaywright(Playwright playwright, BrowserHost host, Browser browser) {
        this.playwright = playwright;
        this.host = host;
        this.browser = browser;
    }

    /** The same binary and flags as the worker's, launched without a proxy. */
    static RawPlaywright direct(BrowserSettings settings) {
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(settings.executable()).setHeadless(true).setArgs(settings.args()));
        return new RawPlaywright(playwright, null, browser);
    }

    /** The worker's own browser set-up: every request through the egress proxy. */
    static RawPlaywright throughProxy(BrowserSettings settings) {
        BrowserHost host = new BrowserHost(settings);
        return new RawPlaywright(null, host, host.browser());
    }

    /** A new context for the task and the task in it: the floor's definition. */
    double freshContextTask(String formUrl) {
        long t = System.nanoTime();
        try (BrowserContext context = newContext()) {
            task(context, formUrl);
        }
        return Report.ms(t);
    }

    BrowserContext newContext() {
        return browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(Viewport.DEFAULT.width(), Viewport.DEFAULT.height()));
    }

    /** The task in a context that exists already: a new page, closed at the end. */
    static void task(BrowserContext context, String formUrl) {
        try (Page page = context.newPage()) {
            page.navigate(formUrl);
            page.locator("#name").first().fill("Ada");
            page.locator("#submit").first().click();
            page.screenshot();
        }
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
        } else {
            playwright.close();
        }
    }
}
