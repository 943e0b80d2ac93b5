package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.Proxy;
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
    private EgressProxy proxy;
    /** Marks this host's Chromium on its command line, so that its processes can be told from other hosts'. */
    private final String marker = "--tabrunner-host=" + java.util.UUID.randomUUID();

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
            if (proxy == null) {
                proxy = EgressProxy.start(settings.egress());
            }
            long start = System.nanoTime();
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(settings.executable())
                    .setHeadless(true)
                    .setArgs(withMarker(settings.args()))
                    // every request goes through the egress proxy, loopback included (Chromium bypasses proxies
                    // for loopback unless told otherwise)
                    .setProxy(new Proxy(proxy.address()).setBypass("<-loopback>"))
                    .setTimeout(60_000));
            LOG.info("chromium {} launched in {} ms", browser.version(), (System.nanoTime() - start) / 1_000_000);
            return browser;
        } catch (PlaywrightException e) {
            closeQuietly();
            throw ActionFailure.browserUnavailable("could not launch Chromium at " + settings.executable()
                    + ": " + firstLine(e.getMessage()));
        }
    }

    private java.util.List<String> withMarker(java.util.List<String> args) {
        java.util.List<String> out = new java.util.ArrayList<>(args);
        out.add(marker);
        return out;
    }

    /** The proxy, or null when no browser was launched yet. */
    public EgressProxy proxyIfRunning() {
        return proxy;
    }

    /**
     * Kills the renderer processes of this host's browser, which ends whatever script they are stuck in; the
     * browser process survives and opens new renderers for new pages. Safe from any thread: it touches only
     * operating-system processes, never Playwright objects.
     *
     * @return how many processes were killed
     */
    public int killRenderers() {
        return (int) ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> java.util.Arrays.asList(a).contains(marker)).orElse(false))
                .flatMap(ProcessHandle::descendants)
                .filter(p -> p.info().arguments().map(a -> java.util.Arrays.asList(a).contains("--type=renderer"))
                        .orElse(false))
                .filter(ProcessHandle::destroyForcibly)
                .count();
    }

    /** The proxy every request of this host's browser goes through. */
    public EgressProxy proxy() {
        browser();
        return proxy;
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
        if (proxy != null) {
            proxy.close();
            proxy = null;
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
