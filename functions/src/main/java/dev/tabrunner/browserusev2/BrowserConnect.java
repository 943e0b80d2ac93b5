package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Session;

import java.util.Optional;

/**
 * Hands out a browser a client drives itself ({@code POST /api/v2/browsers}): the endpoints of the Chrome DevTools
 * Protocol and of the live view for a session. This deployment has none yet ({@link NoBrowserConnect}); the CDP
 * connect issue provides the implementation that starts one, and nothing else in the dialect changes.
 */
interface BrowserConnect {
    /**
     * The endpoints of a browser for the session: {@code cdpUrl} a client connects to, {@code liveUrl} a person
     * watches; either may be null.
     */
    record Endpoints(String cdpUrl, String liveUrl) {
    }

    /** Starts a browser for a new session, or empty when this deployment cannot. */
    Optional<Endpoints> open(Session session);

    /** Ends the browser of a session that is stopped. */
    void close(Session session);

    /** Why {@link #open} answers empty, for the caller's error message. */
    String unavailable();
}
