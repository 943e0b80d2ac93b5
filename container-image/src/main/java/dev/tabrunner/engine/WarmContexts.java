package dev.tabrunner.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps a session's browser context, with its page, open on the browser of the thread that ran the session's last
 * task, so that its next task continues in it: no context to build, no state to restore, no page to reload. The
 * saved state stays the truth (principle 1): a warm context is used only when it was kept under the session's
 * stored state version, for a task that opens the same kind of context; otherwise it is closed and the context is
 * restored from the saved state, as {@link FreshContexts} does.
 *
 * <p>A context is kept after a run that ended with its page alive and its state saved, until the session's
 * inactivity timeout, or until it is evicted (least recently used first) when more than
 * {@link WarmSettings#maxSessions} are kept in this process or the machine has less than
 * {@link WarmSettings#minFreeBytes} of memory available.
 * The contexts of a thread's browser are used and closed on that thread only (Playwright objects are not
 * thread-safe); the count is shared by all threads, but a thread evicts only its own contexts.
 *
 * <p>Contexts of tasks with browsing rules of their own (allowed domains, ad blocking, a country's proxy) are not
 * kept: the rules live on the egress proxy that every context of the thread's browser shares, so they would not hold
 * for a parked page's own requests between its tasks.
 */
public final class WarmContexts implements ContextSource {
    private static final Logger LOG = LoggerFactory.getLogger(WarmContexts.class);
    /** How long a kept page may take to answer before it counts as stuck. */
    private static final double PROBE_TIMEOUT_MS = 2_000;

    private final FreshContexts fresh;
    private final WarmSettings limits;
    private final Clock clock;
    private final LongSupplier availableMemory;
    private final Map<BrowserHost, Map<String, Entry>> pools = new ConcurrentHashMap<>();
    private final AtomicInteger kept = new AtomicInteger();

    public WarmContexts(BrowserSettings settings, WarmSettings limits, Clock clock) {
        this(settings, limits, clock, WarmSettings::availableMemoryBytes);
    }

    /** @param availableMemory how many bytes of memory the machine has available now */
    WarmContexts(BrowserSettings settings, WarmSettings limits, Clock clock, LongSupplier availableMemory) {
        this.fresh = new FreshContexts(settings);
        this.limits = limits;
        this.clock = clock;
        this.availableMemory = availableMemory;
    }

    /** What a warm context was opened with: a task that needs another kind of context does not get it. */
    private record Shape(SessionOptions options, boolean acceptDownloads, BrowsingOptions browsing) {
        static Shape of(ContextSpec spec) {
            return new Shape(spec.options(), spec.acceptDownloads(), spec.browsing());
        }
    }

    private static final class Entry {
        final String stateVersion;
        final Shape shape;
        final BrowserContext context;
        final Page page;
        final Instant expiresAt;
        final Consumer<Page> onCrash = p -> crashed = true;
        volatile boolean crashed;

        Entry(String stateVersion, Shape shape, BrowserContext context, Page page, Instant expiresAt) {
            this.stateVersion = stateVersion;
            this.shape = shape;
            this.context = context;
            this.page = page;
            this.expiresAt = expiresAt;
        }
    }

    @Override
    public Opened open(BrowserHost host, ContextSpec spec) {
        Map<String, Entry> pool = pool(host);
        expire(pool);
        ContextSpec.Reuse reuse = spec.reuse();
        Entry entry = reuse == null ? null : pool.remove(reuse.sessionKey());
        if (entry != null) {
            kept.decrementAndGet();
            String why = unusable(entry, spec, host);
            if (why == null) {
                entry.page.offCrash(entry.onCrash);
                LOG.debug("session {}: continuing in its warm context", reuse.sessionKey());
                return new Opened(entry.context, entry.page, true);
            }
            LOG.debug("session {}: warm context not used ({}); restoring the saved state", reuse.sessionKey(), why);
            FreshContexts.close(entry.context);
        }
        return fresh.open(host, spec);
    }

    /** Why the kept context cannot serve this task, or null when it can. */
    private static String unusable(Entry entry, ContextSpec spec, BrowserHost host) {
        if (!entry.stateVersion.equals(spec.reuse().stateVersion())) {
            return "the session's state was saved elsewhere since";
        }
        if (!entry.shape.equals(Shape.of(spec))) {
            return "the task needs another kind of context";
        }
        Browser browser = entry.context.browser();
        if (browser == null || !browser.isConnected() || browser != host.browser()) {
            return "its browser is gone";
        }
        if (entry.page.isClosed() || !entry.context.pages().contains(entry.page)) {
            return "its page was closed";
        }
        try {
            // one round trip into the page, bounded: a renderer that crashed between tasks fails it at once, one stuck
            // in a script of its own runs out its time; either way the task restores the saved state instead
            entry.page.waitForFunction("true", null, new Page.WaitForFunctionOptions().setTimeout(PROBE_TIMEOUT_MS)
                    .setPollingInterval(PROBE_TIMEOUT_MS));
        } catch (PlaywrightException e) {
            return "its page is gone (" + BrowserHost.firstLine(e.getMessage()) + ")";
        }
        return entry.crashed ? "its page crashed" : null;
    }

    @Override
    public void release(BrowserHost host, ContextSpec spec, Opened opened, boolean reusable) {
        ContextSpec.Reuse reuse = spec.reuse();
        if (!reusable || reuse == null || reuse.nextVersion() == null || limits.maxSessions() <= 0
                || !BrowsingOptions.NONE.equals(spec.browsing())) {
            FreshContexts.close(opened.context());
            return;
        }
        Entry entry;
        try {
            entry = park(spec, opened);
        } catch (PlaywrightException e) {
            LOG.debug("could not keep the context of session {}: {}", reuse.sessionKey(), e.getMessage());
            FreshContexts.close(opened.context());
            return;
        }
        Map<String, Entry> pool = pool(host);
        Entry replaced = pool.put(reuse.sessionKey(), entry);
        if (replaced != null) {
            FreshContexts.close(replaced.context);
        } else {
            kept.incrementAndGet();
        }
        evict(pool);
    }

    /** Only the task's page stays open: a restored context would have no other either. */
    private Entry park(ContextSpec spec, Opened opened) {
        for (Page p : opened.context().pages()) {
            if (p != opened.page()) {
                p.close();
            }
        }
        Entry entry = new Entry(spec.reuse().nextVersion(), Shape.of(spec), opened.context(), opened.page(),
                clock.instant().plus(Duration.ofMillis(spec.options().inactivityTimeoutMs())));
        opened.page().onCrash(entry.onCrash);
        return entry;
    }

    /**
     * Closes the session's warm context on this thread's browser, if it has one (the session ended, or its next
     * task runs on another thread).
     */
    public void discard(BrowserHost host, String sessionKey) {
        Map<String, Entry> pool = pools.get(host);
        Entry entry = pool == null ? null : pool.remove(sessionKey);
        if (entry != null) {
            kept.decrementAndGet();
            FreshContexts.close(entry.context);
        }
    }

    /** Closes this thread's warm contexts whose session has passed its inactivity timeout. */
    public void expire(BrowserHost host) {
        Map<String, Entry> pool = pools.get(host);
        if (pool != null) {
            expire(pool);
        }
    }

    /** Closes every warm context of the host's browser (the host is being closed, or a test is done). */
    public void closeAll(BrowserHost host) {
        Map<String, Entry> pool = pools.remove(host);
        if (pool != null) {
            close(new ArrayList<>(pool.values()));
        }
    }

    /** How many contexts are kept warm in this process. */
    public int size() {
        return kept.get();
    }

    private void expire(Map<String, Entry> pool) {
        Instant now = clock.instant();
        List<Entry> gone = new ArrayList<>();
        pool.values().removeIf(e -> {
            boolean expired = now.isAfter(e.expiresAt);
            if (expired) {
                gone.add(e);
            }
            return expired;
        });
        close(gone);
    }

    /**
     * Least recently used first, and only this thread's own: down to the process-wide count, and one more when
     * memory is short (a closed context's memory is not back at once, so one per kept context is enough to follow
     * the pressure without emptying the pool on one reading).
     */
    private void evict(Map<String, Entry> pool) {
        List<Entry> gone = new ArrayList<>();
        Iterator<Entry> it = pool.values().iterator();
        while (it.hasNext() && kept.get() - gone.size() > limits.maxSessions()) {
            gone.add(it.next());
            it.remove();
        }
        if (it.hasNext() && availableMemory.getAsLong() < limits.minFreeBytes()) {
            gone.add(it.next());
            it.remove();
        }
        if (!gone.isEmpty()) {
            LOG.debug("evicting {} warm context(s)", gone.size());
        }
        close(gone);
    }

    private void close(List<Entry> gone) {
        kept.addAndGet(-gone.size());
        for (Entry e : gone) {
            FreshContexts.close(e.context);
        }
    }

    private Map<String, Entry> pool(BrowserHost host) {
        // access order: iteration starts at the least recently used
        return pools.computeIfAbsent(host, h -> new LinkedHashMap<>(16, 0.75f, true));
    }
}
