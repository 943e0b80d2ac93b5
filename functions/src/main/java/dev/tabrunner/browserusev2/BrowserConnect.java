package dev.tabrunner.browserusev2;

import dev.tabrunner.connect.ConnectService;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Hands out a browser a client drives itself ({@code POST /api/v2/browsers}): the session's CDP link and its live
 * view, both for the session's whole life (browser-use's {@code cdpUrl} is what a program connects to, again and
 * again, until the browser is stopped). The links are CDP connect's ({@link ConnectService#browserLinks}): opening
 * the CDP link makes a connection of the session, held while the client is connected; stopping the browser revokes
 * both and sends a connected client away. A deployment whose workers take no connection (AWS Lambda) has none.
 */
@Singleton
final class BrowserConnect {
    private final ConnectService connects;

    BrowserConnect(ConnectService connects) {
        this.connects = connects;
    }

    /**
     * The endpoints of a browser, as paths on this server (made absolute with the request's base when shown).
     *
     * @param cdpUrl  the gateway's {@code /browser/sessions/{id}/cdp?token=…}
     * @param liveUrl a person's view, {@code /live/sessions/{id}?token=…}
     */
    record Endpoints(String cdpUrl, String liveUrl) {
    }

    /** The links of a new session's browser, or empty when this deployment cannot relay a client to it. */
    Optional<Endpoints> open(Caller caller, Session session) {
        if (!connects.available()) {
            return Optional.empty();
        }
        ConnectService.BrowserLinks links = connects.browserLinks(caller, session);
        return Optional.of(new Endpoints(links.cdpPath(), links.livePath()));
    }

    /** The browser of a session that is stopped: its links open nothing, a connected client is sent away. */
    void close(Caller caller, Session session) {
        if (connects.available()) {
            connects.close(caller, session.id());
        }
    }

    /** Why {@link #open} answers empty, for the caller's error message. */
    String unavailable() {
        return "browsers driven over CDP (cdpUrl) are not available on this deployment: its workers take no inbound"
                + " connections (AWS Lambda); run agent tasks with POST /api/v2/tasks, in a session of"
                + " POST /api/v2/sessions, or use the local server";
    }
}
