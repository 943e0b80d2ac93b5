package dev.tabrunner.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a client that drives a session's browser over CDP ({@code POST /browser/sessions/{id}/connect}) meets the
 * worker that holds the session's browser context. The worker runs the connection like a task of the session (so the
 * session is busy and its state is saved when it ends): it offers the context's endpoint, then waits until the
 * client has come and gone; the API's gateway waits for the offer, relays the client's messages and says when the
 * client leaves. In one JVM this is a shared in-memory table; a deployment whose workers take no inbound connections
 * (AWS Lambda) has none ({@link #UNAVAILABLE}).
 */
public interface BrowserConnections {
    /**
     * Where the gateway reaches the browser of a connection.
     *
     * @param browserUrl       the browser's DevTools WebSocket URL (loopback; never shown to a client)
     * @param browserContextId the CDP id of the session's browser context: the only one the client may see
     * @param targetId         the CDP id of the session's page
     */
    record Endpoint(String browserUrl, String browserContextId, String targetId) {
    }

    /** Where a connection is at, as the worker sees it. */
    enum State {
        /** offered; no client has come yet */
        WAITING,
        /** a client is connected */
        ATTACHED,
        /** the client left, or was sent away */
        DETACHED
    }

    /** False when this deployment cannot relay a client to a worker's browser. */
    boolean available();

    /** Worker: the connection's browser context is ready for a client. */
    void offer(String connectionId, Endpoint endpoint);

    /** Worker: where the connection is at ({@link State#DETACHED} for one never offered or withdrawn). */
    State state(String connectionId);

    /** Worker: when the attached client last sent something; empty while none is attached or it sent nothing. */
    Optional<Instant> lastActivity(String connectionId);

    /** Worker: the connection is over (its run ends); a client still attached is sent away. */
    void withdraw(String connectionId);

    /**
     * Gateway: takes the offered connection for one client, waiting up to {@code wait} for the worker to offer it.
     *
     * @param onWithdrawn called (on the worker's thread) when the worker ends the connection while the client is
     *                    still there, so that the gateway closes the client's socket
     * @return the endpoint, or empty when nothing was offered in time or another client already took it
     */
    Optional<Endpoint> attach(String connectionId, Duration wait, Runnable onWithdrawn);

    /** Gateway: the client sent something (keeps the session's inactivity timeout away). */
    void touch(String connectionId, Instant at);

    /** Gateway: the client left. */
    void detach(String connectionId);

    /** A deployment without CDP connect. */
    BrowserConnections UNAVAILABLE = new BrowserConnections() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void offer(String connectionId, Endpoint endpoint) {
        }

        @Override
        public State state(String connectionId) {
            return State.DETACHED;
        }

        @Override
        public Optional<Instant> lastActivity(String connectionId) {
            return Optional.empty();
        }

        @Override
        public void withdraw(String connectionId) {
        }

        @Override
        public Optional<Endpoint> attach(String connectionId, Duration wait, Runnable onWithdrawn) {
            return Optional.empty();
        }

        @Override
        public void touch(String connectionId, Instant at) {
        }

        @Override
        public void detach(String connectionId) {
        }
    };
}
