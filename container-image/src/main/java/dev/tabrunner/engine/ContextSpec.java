package dev.tabrunner.engine;

import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;

/**
 * What a task's browser context is opened from.
 *
 * @param options         the session's viewport, user agent, locale and time zone
 * @param storageState    Playwright storageState JSON of the session, or null for a new session
 * @param resumeUrl       the page to reopen before the program runs (the session's last URL, or the task's own
 *                        when it continues an earlier run), or null when the task navigates first; it is also the
 *                        run's URL when the browser is lost before any page can say where it is
 * @param browsing        the task's own network rules: allowed domains, ad blocking, the country of the operator's
 *                        proxy its traffic leaves through ({@link BrowsingOptions#NONE} for the operator's alone)
 * @param acceptDownloads whether the page keeps what it downloads (an agent task keeps them as its files)
 */
public record ContextSpec(SessionOptions options, String storageState, String resumeUrl, BrowsingOptions browsing,
                          boolean acceptDownloads) {
    public ContextSpec {
        browsing = browsing == null ? BrowsingOptions.NONE : browsing;
    }
}
