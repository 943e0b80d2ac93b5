package dev.tabrunner.engine;

import com.microsoft.playwright.BrowserContext;

/**
 * Where the engine gets a task's browser context and gives it back: the one place a context's life begins and ends.
 * Today every task gets a fresh context ({@link FreshContexts}); a source that keeps a session's context warm
 * between its tasks fits here without the engine changing.
 */
public interface ContextSource {
    /**
     * A context for the task, with the engine's default timeouts set.
     *
     * @throws ActionFailure       503 when no browser can be launched
     * @throws com.microsoft.playwright.PlaywrightException when the browser refused the context
     */
    BrowserContext open(BrowserHost host, ContextSpec spec);

    /** The run is over; the context is not used again by it. Never throws. */
    void close(BrowserContext context);
}
