package dev.tabrunner.connect;

/**
 * The answer of {@code POST /browser/sessions/{id}/connect}.
 *
 * @param cdpUrl       what {@code chromium.connectOverCDP} or {@code puppeteer.connect({browserWSEndpoint})} opens;
 *                     single-use, it carries its own token (a browser's WebSocket cannot send headers)
 * @param expiresAt    the client must connect before this
 * @param connectionId the connection's task, made when the client opens the link: its poll URL shows it running
 *                     while the client is connected
 */
public record ConnectView(String cdpUrl, String expiresAt, String connectionId) {
}
