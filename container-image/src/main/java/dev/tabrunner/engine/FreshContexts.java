package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import dev.tabrunner.domain.SessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fresh context per task, built from the session's options and saved state, closed when the task ends. */
public final class FreshContexts implements ContextSource {
    private static final Logger LOG = LoggerFactory.getLogger(FreshContexts.class);

    private final BrowserSettings settings;

    public FreshContexts(BrowserSettings settings) {
        this.settings = settings;
    }

    /**
     * A browser that died between tasks may still look connected until the driver notices; one relaunch makes
     * the crash cost only the task that was running when it happened.
     */
    @Override
    public Opened open(BrowserHost host, ContextSpec spec) {
        Browser.NewContextOptions options = options(spec);
        BrowserContext context;
        try {
            context = host.browser().newContext(options);
        } catch (PlaywrightException e) {
            LOG.info("browser unusable ({}); relaunching", BrowserHost.firstLine(e.getMessage()));
            host.closeBrowserQuietly();
            context = host.browser().newContext(options);
        }
        context.setDefaultTimeout(settings.actionTimeoutMs());
        context.setDefaultNavigationTimeout(settings.navigationTimeoutMs());
        try {
            Opened opened = new Opened(context, context.newPage(), false);
            StartupTimeline.reached(StartupTimeline.Stage.CONTEXT_OPENED);
            return opened;
        } catch (PlaywrightException e) {
            close(context);
            throw e;
        }
    }

    private static Browser.NewContextOptions options(ContextSpec spec) {
        Browser.NewContextOptions options = sessionOptions(spec.options()).setAcceptDownloads(spec.acceptDownloads());
        String state = spec.storageState().get();
        if (state != null) {
            options.setStorageState(state);
        }
        return options;
    }

    /**
     * A context as the session's options make it (viewport, user agent, locale, time zone), without its state; also
     * the login's own context (ADR 0020), which must look like the task's to the site.
     */
    static Browser.NewContextOptions sessionOptions(SessionOptions session) {
        Browser.NewContextOptions options = new Browser.NewContextOptions()
                .setViewportSize(session.viewport().width(), session.viewport().height())
                // service workers would serve cached responses without a request the task can see
                .setServiceWorkers(ServiceWorkerPolicy.BLOCK);
        if (session.userAgent() != null) {
            options.setUserAgent(session.userAgent());
        }
        if (session.locale() != null) {
            options.setLocale(session.locale());
        }
        if (session.timezoneId() != null) {
            options.setTimezoneId(session.timezoneId());
        }
        return options;
    }

    @Override
    public void release(BrowserHost host, ContextSpec spec, Opened opened, boolean reusable) {
        close(opened.context());
    }

    static void close(BrowserContext context) {
        try {
            context.close();
        } catch (RuntimeException e) {
            LOG.debug("closing context: {}", e.getMessage());
        }
    }
}
