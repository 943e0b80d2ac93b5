package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * One Playwright driver and one Chromium, owned by one thread (Playwright objects are not thread-safe).
 * The browser is a cache: it is launched on first use and relaunched whenever it has gone away, so a crash
 * costs the task that was running and nothing after it.
 */
public final class BrowserHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserHost.class);

    private final BrowserSettings settings;
    private Playwright playwright;
    private Browser browser;

    public BrowserHost(BrowserSettings settings) {
        this.settings = settings;
    }

    /** A connected browser, launching one if needed. */
    public Browser browser() {
        if (browser != null && browser.isConnected()) {
            return browser;
        }
        closeBrowserQuietly();
        try {
            if (playwright == null) {
                playwright = Playwright.create(new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            }
            long start = System.nanoTime();
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(settings.executable())
                    .setHeadless(true)
                    .setArgs(settings.args())
                    .setTimeout(60_000));
            LOG.info("chromium {} launched in {} ms", browser.version(), (System.nanoTime() - start) / 1_000_000);
            return browser;
        } catch (PlaywrightException e) {
            closeQuietly();
            throw ActionFailure.browserUnavailable("could not launch Chromium at " + settings.executable()
                    + ": " + firstLine(e.getMessage()));
        }
    }

    /** True when a browser is running and connected. */
    public boolean isConnected() {
        return browser != null && browser.isConnected();
    }

    /** Closes the browser (not the driver); the next {@link #browser()} launches a new one. */
    public void closeBrowserQuietly() {
        if (browser != null) {
            try {
                browser.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a broken browser: {}", e.getMessage());
            }
            browser = null;
        }
    }

    private void closeQuietly() {
        closeBrowserQuietly();
        if (playwright != null) {
            try {
                playwright.close();
            } catch (RuntimeException e) {
                LOG.debug("closing playwright: {}", e.getMessage());
            }
            playwright = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
