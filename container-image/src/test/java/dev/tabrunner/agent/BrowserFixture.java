package dev.tabrunner.agent;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tabrunner.testing.FixtureServer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Debian's Chromium through Playwright, and the fixture site, for the agent's browser tests. */
final class BrowserFixture implements AutoCloseable {
    final FixtureServer site = FixtureServer.start();
    private final Playwright playwright = Playwright.create(new Playwright.CreateOptions()
            .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    private final Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
            .setExecutablePath(Path.of(System.getenv().getOrDefault("TABRUNNER_CHROMIUM_PATH",
                    "/usr/bin/chromium")))
            .setHeadless(true)
            .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));

    /** A page in a fresh context: a fresh "worker". */
    Page newPage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 960)
                .setAcceptDownloads(true));
        context.setDefaultTimeout(5000);
        return context.newPage();
    }

    String url(String path) {
        return site.url(path);
    }

    @Override
    public void close() {
        playwright.close();
        site.close();
    }
}
