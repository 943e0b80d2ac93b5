package dev.tabrunner.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BrowserConnections;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client's relay: waits for the worker to offer the session's context, opens a socket to the browser, and
 * passes messages both ways through a {@link CdpGatekeeper}. Everything it does runs on one thread of its own, in
 * the order the messages came (the gatekeeper is not thread-safe, and the browser's socket takes one send at a
 * time); the client's socket and the event loop never wait for the browser.
 */
final class CdpRelay implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(CdpRelay.class);

    private final WebSocketSession client;
    private final BrowserConnections connections;
    private final HttpClient http;
    private final Clock clock;
    private final ExecutorService lane = Executors.newSingleThreadExecutor(Thread.ofVirtual()
            .name("tabrunner-cdp-relay").factory());
    /** What the client sent before the browser's socket was open, in order. */
    private final List<String> early = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private CdpGatekeeper gatekeeper;
    private WebSocket browser;
    private volatile boolean closed;
    /** The connection the client's link opens, once its token was checked. */
    private volatile String connectionId;
    /** Gives the client's link back, once the client is gone. */
    private volatile Runnable ended;

    CdpRelay(WebSocketSession client, BrowserConnections connections, HttpClient http, Clock clock) {
        this.client = client;
        this.connections = connections;
        this.http = http;
        this.clock = clock;
    }

    /**
     * Opens the link (on the relay's thread: it reads the stores and makes the connection's task), waits for the
     * worker to offer the session, then opens the browser's socket. What the client sends meanwhile waits its turn.
     *
     * @param open    opens the link for this client: its connection, or why not
     * @param abandon stops a connection whose client could not be given the session (gone, or out of time)
     */
    void start(Supplier<ConnectService.Opening> open, Consumer<String> abandon, Duration wait) {
        run(() -> {
            switch (open.get()) {
                case ConnectService.Refused r -> closeClient(r.code(), r.reason());
                case ConnectService.Opened o -> {
                    ended = o.ended();
                    connectionId = o.connectionId();
                    if (closed) {
                        abandon.accept(connectionId); // the client left while its link was opened
                    } else {
                        attach(abandon, wait);
                    }
                }
            }
        });
    }

    private void attach(Consumer<String> abandon, Duration wait) {
        Optional<BrowserConnections.Endpoint> endpoint = connections.attach(connectionId, wait,
                () -> closeClient(CloseReason.NORMAL.getCode(), "the connection ended"));
        if (endpoint.isEmpty()) {
            abandon.accept(connectionId);
            closeClient(4408, "the session did not become free in time");
            return;
        }
        if (closed) {
            // the client left while it waited for the session: the worker lets go of it at once
            connections.detach(connectionId);
            return;
        }
        BrowserConnections.Endpoint e = endpoint.get();
        try {
            browser = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(e.browserUrl()), this).get(15, TimeUnit.SECONDS);
        } catch (Exception ex) {
            LOG.warn("connection {}: could not reach the session's browser: {}", connectionId, ex.toString());
            connections.detach(connectionId);
            closeClient(1011, "the session's browser cannot be reached");
            return;
        }
        gatekeeper = new CdpGatekeeper(e.browserContextId(), e.targetId());
        LOG.info("connection {}: client attached", connectionId);
        for (String m : early) {
            handleClient(m);
        }
        early.clear();
    }

    /** A message of the client's, in order. */
    void fromClient(String text) {
        String id = connectionId;
        if (id != null) {
            connections.touch(id, clock.instant());
        }
        run(() -> {
            if (browser == null) {
                early.add(text);
            } else {
                handleClient(text);
            }
        });
    }

    /** The client closed its socket: the worker saves the session and lets go of it. */
    void clientLeft() {
        closed = true;
        if (connectionId != null) {
            connections.detach(connectionId);
        }
        run(this::finish);
        LOG.info("connection {}: client left", connectionId);
    }

    private void handleClient(String text) {
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(text);
        } catch (IOException e) {
            return; // not JSON: Chromium would drop the socket; the gateway drops the message
        }
        if (parsed instanceof ObjectNode message) {
            deliver(gatekeeper.fromClient(message));
        }
    }

    private void deliver(List<CdpGatekeeper.Out> outs) {
        for (CdpGatekeeper.Out out : outs) {
            switch (out) {
                case CdpGatekeeper.ToBrowser b -> {
                    try {
                        browser.sendText(b.message().toString(), true).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.debug("connection {}: browser send failed: {}", connectionId, e.toString());
                        closeClient(1011, "the session's browser went away");
                    }
                }
                case CdpGatekeeper.ToClient c -> {
                    if (client.isOpen()) {
                        client.sendAsync(c.message().toString());
                    }
                }
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            run(() -> {
                try {
                    if (Json.mapper().readTree(text) instanceof ObjectNode message) {
                        deliver(gatekeeper.fromBrowser(message));
                    }
                } catch (IOException e) {
                    LOG.debug("connection {}: unreadable message from the browser", connectionId);
                }
            });
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closeClient(1011, "the session's browser closed");
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        closeClient(1011, "the session's browser went away");
    }

    private void run(Runnable r) {
        try {
            lane.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the relay is closed: nothing more goes either way
        }
    }

    private void closeClient(int code, String reason) {
        if (!closed) {
            closed = true;
            if (connectionId != null) {
                connections.detach(connectionId);
            }
            if (client.isOpen()) {
                client.close(new CloseReason(code, reason));
            }
        }
        run(this::finish);
    }

    /**
     * The relay's last work, after whatever it was doing on its lane (opening the link, waiting for the session):
     * the browser's socket goes and the link takes a client again.
     */
    private void finish() {
        if (browser != null) {
            browser.abort();
        }
        Runnable giveBack = ended;
        ended = null;
        if (giveBack != null) {
            giveBack.run();
        }
        lane.shutdown();
    }
}
