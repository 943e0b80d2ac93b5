package dev.tabrunner.engine;

import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;

import java.util.function.Supplier;

/**
 * What a task's browser context is opened from.
 *
 * @param options         the session's viewport, user agent, locale and time zone
 * @param storageState    reads the session's saved Playwright storageState JSON (null for a new session); called
 *                        only when the context is restored, never for a warm one
 * @param resumeUrl       the page to reopen before the program runs (the session's last URL, or the task's own
 *                        when it continues an earlier run), or null when the task navigates first; it is also the
 *                        run's URL when the browser is lost before any page can say where it is. A warm context is
 *                        already there and reopens nothing
 * @param browsing        the task's own network rules: allowed domains, ad blocking, the country of the operator's
 *                        proxy its traffic leaves through ({@link BrowsingOptions#NONE} for the operator's alone)
 * @param acceptDownloads whether the page keeps what it downloads (an agent task keeps them as its files)
 * @param reuse           how the session's context may be kept warm between its tasks, or null to open a fresh one
 *                        and close it at the end
 * @param recording       how the run is recorded for replay (ADR 0042), or null when it is not
 */
public record ContextSpec(SessionOptions options, Supplier<String> storageState, String resumeUrl,
                          BrowsingOptions browsing, boolean acceptDownloads, Reuse reuse, RecordingSpec recording) {
    public ContextSpec {
        browsing = browsing == null ? BrowsingOptions.NONE : browsing;
        storageState = storageState == null ? () -> null : storageState;
    }

    /** A context opened fresh and closed at the end. */
    public ContextSpec(SessionOptions options, Supplier<String> storageState, String resumeUrl,
                       BrowsingOptions browsing, boolean acceptDownloads) {
        this(options, storageState, resumeUrl, browsing, acceptDownloads, null, null);
    }

    /** A context kept as {@code reuse} says, the run not recorded. */
    public ContextSpec(SessionOptions options, Supplier<String> storageState, String resumeUrl,
                       BrowsingOptions browsing, boolean acceptDownloads, Reuse reuse) {
        this(options, storageState, resumeUrl, browsing, acceptDownloads, reuse, null);
    }

    public ContextSpec withReuse(Reuse value) {
        return new ContextSpec(options, storageState, resumeUrl, browsing, acceptDownloads, value, recording);
    }

    public ContextSpec withRecording(RecordingSpec value) {
        return new ContextSpec(options, storageState, resumeUrl, browsing, acceptDownloads, reuse, value);
    }

    /**
     * A session's context kept between its tasks.
     *
     * @param sessionKey   the session (tenant and id)
     * @param stateVersion the version of the session's saved state as stored now: a warm context is reused only
     *                     when it was kept under this version, else it is restored from the saved state
     * @param nextVersion  the version the run's state will be saved under; the context is kept under it (null: the
     *                     run may continue in a warm context but keeps nothing)
     */
    public record Reuse(String sessionKey, String stateVersion, String nextVersion) {
        public static String sessionKey(String tenantId, String sessionId) {
            return tenantId + "/" + sessionId;
        }
    }
}
