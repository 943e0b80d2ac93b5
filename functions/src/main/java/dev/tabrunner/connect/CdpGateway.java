package dev.tabrunner.connect;

import dev.tabrunner.port.BrowserConnections;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ws://…/browser/sessions/{id}/cdp?token=…}: relays a CDP client to the session's browser context through
 * the {@link CdpGatekeeper}'s rules, one {@link CdpRelay} per client. The link's token is the authorisation (no API
 * key: a browser's WebSocket cannot send one). Opening the link makes the connection's task: the session is held
 * from the handshake on. A link that opens nothing is closed at once: 4404 unknown or expired, 4403 the key that
 * made it was deleted, 4410 the session ended, 4409 another client is on the link, 4429 the tenant's task limit.
 */
@ServerWebSocket("/browser/sessions/{sessionId}/cdp")
final class CdpGateway {
    /** How long a client waits for its connection to get the session (a task of the session may be running). */
    static final Duration WAIT_FOR_SESSION = Duration.ofMinutes(5);
    /** CDP messages can be large (a screenshot, a page's HTML); the client's go up to this. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ConnectService connects;
    private final BrowserConnections connections;
    private final Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, CdpRelay> relays = new ConcurrentHashMap<>();

    CdpGateway(ConnectService connects, BrowserConnections connections, Clock clock) {
        this.connects = connects;
        this.connections = connections;
        this.clock = clock;
    }

    /**
     * Micronaut may hand the client's first message over before {@link #open} has finished (CDP clients send at
     * once): whichever comes first makes the client's relay, which keeps messages in order until it is ready.
     */
    private CdpRelay relay(WebSocketSession client) {
        return relays.computeIfAbsent(client.getId(), id -> new CdpRelay(client, connections, http, clock));
    }

    @OnOpen
    void open(String sessionId, WebSocketSession client) {
        String token = client.getRequestParameters().get("token");
        relay(client).start(() -> connects.open(sessionId, token), connects::abandon, WAIT_FOR_SESSION);
    }

    @OnMessage(maxPayloadLength = MAX_MESSAGE_BYTES)
    void message(String message, WebSocketSession client) {
        relay(client).fromClient(message);
    }

    @OnClose
    void close(WebSocketSession client) {
        CdpRelay relay = relays.remove(client.getId());
        if (relay != null) {
            relay.clientLeft();
        }
    }
}
