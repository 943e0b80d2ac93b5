package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.Proxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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
    private java.nio.file.Path profileDir;
    /** A launch started by {@link #launchInBackground()} that no caller has waited for yet. */
    private volatile FutureTask<Void> launching;
    /** Marks this host's Chromium on its command line, so that its processes can be told from other hosts'. */
    private final String marker = "--tabrunner-host=" + java.util.UUID.randomUUID();

    public BrowserHost(BrowserSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts the driver, the proxy and Chromium on a thread of their own, so that the launch overlaps whatever the
     * process does before its first task; the thread that uses the host waits for it in its first
     * {@link #browser()}, and from then on the host is that thread's alone (the launch thread no longer touches it,
     * and the wait orders what it did before everything after). A failed launch is tried again by that call.
     *
     * @return this host
     */
    public BrowserHost launchInBackground() {
        FutureTask<Void> task = new FutureTask<>(() -> {
            try {
                connectedBrowser();
            } catch (ActionFailure e) {
                LOG.warn("launching Chromium ahead of the first task failed: {}", e.getMessage());
            }
            return null;
        });
        launching = task;
        Thread.ofPlatform().daemon().name("tabrunner-browser-launch").start(task);
        return this;
    }

    /** Waits for a launch started by {@link #launchInBackground()}, once. */
    private void awaitLaunch() {
        FutureTask<Void> task = launching;
        if (task == null) {
            return;
        }
        launching = null;
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("launching Chromium ahead of the first task failed: {}", e.getCause().toString());
        }
    }

    /**
     * A connected browser, launching one if needed. A launch that fails is tried once more with a fresh driver: the
     * driver itself may be what died (a page flooding it with events), and that must cost only the task that was
     * running, not the next one on this worker.
     */
    public Browser browser() {
        awaitLaunch();
        return connectedBrowser();
    }

    private Browser connectedBrowser() {
        if (browser != null && browser.isConnected()) {
            return browser;
        }
        closeBrowserQuietly();
        try {
            return launch();
        } catch (PlaywrightException first) {
            LOG.info("launching Chromium failed ({}); restarting the Playwright driver", firstLine(first.getMessage()));
            closeQuietly();
            try {
                return launch();
            } catch (PlaywrightException e) {
                closeQuietly();
                throw ActionFailure.browserUnavailable("could not launch Chromium at " + settings.executable()
                        + ": " + firstLine(e.getMessage()));
            }
        }
    }

    private Browser launch() {
        if (playwright == null) {
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            StartupTimeline.reached(StartupTimeline.Stage.DRIVER_READY);
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
        StartupTimeline.reached(StartupTimeline.Stage.CHROMIUM_LAUNCHED);
        LOG.info("chromium {} launched in {} ms", browser.version(), (System.nanoTime() - start) / 1_000_000);
        profileDir = profileDirOf(marker);
        removeStaleProfiles();
        return browser;
    }

    private java.util.List<String> withMarker(java.util.List<String> args) {
        java.util.List<String> out = new java.util.ArrayList<>(args);
        out.add(marker);
        return out;
    }

    /**
     * The browser's DevTools WebSocket URL on loopback, for the CDP gateway ({@code POST .../connect}); empty when
     * the browser was launched without a debugging port ({@link BrowserSettings#cdpPort()}) or is not running.
     */
    public java.util.Optional<String> devToolsUrl() {
        browser();
        return settings.cdpPort() && profileDir != null ? DevToolsPort.read(profileDir) : java.util.Optional.empty();
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
                .filter(p -> commandLine(p).contains(marker))
                .flatMap(ProcessHandle::descendants)
                .filter(p -> commandLine(p).contains("--type=renderer"))
                .filter(ProcessHandle::destroyForcibly)
                .count();
    }

    /**
     * A process's command line as the kernel has it: Chromium rewrites its child processes' titles, which leaves
     * {@link ProcessHandle.Info#arguments()} empty for them, but {@code /proc/<pid>/cmdline} still holds them.
     */
    private static String commandLine(ProcessHandle p) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline"));
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().commandLine().orElse("");
        }
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

    /**
     * Closes the browser (not the driver); the next {@link #browser()} launches a new one. A browser that was killed
     * leaves its temporary profile directory behind (nobody was there to remove it): it is removed here.
     */
    public void closeBrowserQuietly() {
        if (browser != null) {
            try {
                browser.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a broken browser: {}", e.getMessage());
            }
            browser = null;
        }
        if (profileDir != null) {
            deleteTree(profileDir);
            profileDir = null;
        }
    }

    private static final String PROFILE_PREFIX = "playwright_chromiumdev_profile-";
    /** A profile this old that no process uses was left by a browser or a whole process that was killed. */
    private static final java.time.Duration STALE_PROFILE = java.time.Duration.ofMinutes(1);

    private static java.nio.file.Path profileDirOf(String marker) {
        return ProcessHandle.allProcesses().map(BrowserHost::commandLine).filter(c -> c.contains(marker))
                .flatMap(c -> java.util.Arrays.stream(c.split(" ")))
                .filter(a -> a.startsWith("--user-data-dir=")).findFirst()
                .map(a -> java.nio.file.Path.of(a.substring("--user-data-dir=".length()))).orElse(null);
    }

    /** Removes temporary profiles that no live process uses, left by browsers killed before anyone could. */
    private static void removeStaleProfiles() {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        java.util.List<String> inUse = ProcessHandle.allProcesses().map(BrowserHost::commandLine)
                .filter(c -> c.contains(PROFILE_PREFIX)).toList();
        java.time.Instant cutoff = java.time.Instant.now().minus(STALE_PROFILE);
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(tmp)) {
            entries.filter(p -> p.getFileName().toString().startsWith(PROFILE_PREFIX))
                    .filter(p -> inUse.stream().noneMatch(c -> c.contains(p.getFileName().toString())))
                    .filter(p -> modifiedBefore(p, cutoff))
                    .forEach(BrowserHost::deleteTree);
        } catch (java.io.IOException e) {
            LOG.debug("could not look for stale profiles: {}", e.getMessage());
        }
    }

    private static boolean modifiedBefore(java.nio.file.Path p, java.time.Instant cutoff) {
        try {
            return java.nio.file.Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void deleteTree(java.nio.file.Path root) {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.debug("could not remove {}: {}", root, e.getMessage());
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
        awaitLaunch();
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
