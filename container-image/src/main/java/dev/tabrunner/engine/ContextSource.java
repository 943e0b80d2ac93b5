package dev.tabrunner.engine;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

/**
 * Where the engine gets a task's browser context and its page, and gives them back: the one place a context's life
 * begins and ends. {@link FreshContexts} opens one per task from the session's saved state; {@link WarmContexts}
 * keeps a session's context open on this thread's browser between its tasks.
 */
public interface ContextSource {
    /**
     * A context for the task, with the engine's default timeouts set, and the page the program runs in.
     *
     * @throws ActionFailure       503 when no browser can be launched
     * @throws com.microsoft.playwright.PlaywrightException when the browser refused the context
     */
    Opened open(BrowserHost host, ContextSpec spec);

    /**
     * The run is over; the run does not use the context again. Never throws.
     *
     * @param reusable true when the run ended with the context and its page alive and its state saved as the
     *                 spec's {@link ContextSpec.Reuse#nextVersion()}: the session's next task may continue in it
     */
    void release(BrowserHost host, ContextSpec spec, Opened opened, boolean reusable);

    /**
     * @param warm true when the context is one the session's earlier task left open (its page as that task left it);
     *             false when it was opened from the saved state (its page new and blank)
     */
    record Opened(BrowserContext context, Page page, boolean warm) {
    }
}
