package dev.tabrunner.engine;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.UpstreamProxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser has no way to the network but the egress proxy: a page on an allowed origin tries every channel it
 * has to a UDP and a TCP listener on loopback (which the policy forbids) - WebRTC with a STUN server and with a
 * forged remote answer, WebTransport, fetch, WebSocket, beacons, images, a frame - and neither listener receives a
 * single datagram or connection. And the browser is quiet: idle, or while a page is typed into, it sends nothing of
 * its own through the proxy (no update checks, time queries, sign-in or autofill calls).
 */
class NetworkIsolationIT {
    private static HttpServer site;
    private static DatagramSocket udp;
    private static ServerSocket tcp;
    private static final AtomicInteger datagrams = new AtomicInteger();
    private static final AtomicInteger connections = new AtomicInteger();
    private static BrowserHost host;

    private static InetAddress[] resolve(String name) throws UnknownHostException {
        if (name.equals("site.test")) {
            return new InetAddress[]{InetAddress.getLoopbackAddress()};
        }
        throw new UnknownHostException(name);
    }

    @BeforeAll
    static void start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[2048];
            while (!udp.isClosed()) {
                try {
                    udp.receive(new DatagramPacket(buffer, buffer.length));
                    datagrams.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        tcp = new ServerSocket(0, 50, loopback);
        Thread.ofPlatform().daemon().start(() -> {
            while (!tcp.isClosed()) {
                try (Socket ignored = tcp.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        site = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        site.createContext("/", exchange -> {
            byte[] body = ("<!doctype html><html><body><h1>Allowed origin</h1><form action=/search>"
                    + "<input name=q autocomplete=on><input name=email type=email><input type=password name=pw>"
                    + "</form></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.start();
        BrowserSettings defaults = BrowserSettings.from(Map.of());
        // only the site's name is allowed: loopback addresses themselves stay forbidden
        host = new BrowserHost(new BrowserSettings(defaults.executable(), defaults.args(), 5_000, 10_000,
                EgressPolicy.fromAllowList("site.test", NetworkIsolationIT::resolve), UpstreamProxies.none()));
    }

    @AfterAll
    static void stop() {
        host.close();
        site.stop(0);
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Test
    void anIdleBrowserAndAPageTypedInto_sendNothingThePageDidNotAskFor() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        String origin = "site.test:" + site.getAddress().getPort();
        try (BrowserContext context = host.browser().newContext()) {
            host.proxy().listener((method, target, reason) -> seen.add(method + " " + target));
            Page page = context.newPage();
            page.navigate("http://" + origin + "/");
            page.locator("input[name=q]").pressSequentially("wireless keyboard", new com.microsoft.playwright
                    .Locator.PressSequentiallyOptions().setDelay(20));
            page.locator("input[name=email]").fill("ada@example.com");
            page.locator("input[name=pw]").fill("correct horse battery staple");
            // idle: the full browser's background services call out within seconds of start and while idle
            Thread.sleep(6_000);
        } finally {
            host.proxy().listener(null);
        }
        assertThat(seen).as("requests through the egress proxy").isNotEmpty()
                .allMatch(r -> r.contains("://" + origin + "/"), "went to the page's own origin");
    }

    @Test
    void aPageReachesNoLoopbackListener_overUdpOrTcp_byAnyChannel() throws Exception {
        int udpPort = udp.getLocalPort();
        int tcpPort = tcp.getLocalPort();
        try (BrowserContext context = host.browser().newContext()) {
            host.proxy().listener(null);
            Page page = context.newPage();
            page.navigate("http://site.test:" + site.getAddress().getPort() + "/");
            Object tried = page.evaluate("async ([udpPort, tcpPort]) => {\n"
                    + "  const out = [];\n"
                    + "  const wait = ms => new Promise(r => setTimeout(r, ms));\n"
                    + "  try {\n"
                    + "    const pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:' + udpPort},\n"
                    + "      {urls: 'turn:127.0.0.1:' + udpPort + '?transport=udp', username: 'u', credential: 'p'}]});\n"
                    + "    pc.createDataChannel('x');\n"
                    + "    await pc.setLocalDescription(await pc.createOffer());\n"
                    + "    const a = new RTCPeerConnection(); const b = new RTCPeerConnection();\n"
                    + "    a.createDataChannel('y');\n"
                    + "    const offer = await a.createOffer(); await a.setLocalDescription(offer);\n"
                    + "    await b.setRemoteDescription(offer);\n"
                    + "    const answer = await b.createAnswer();\n"
                    + "    await a.setRemoteDescription({type: 'answer',\n"
                    + "      sdp: answer.sdp.replace(/a=candidate.*\\r\\n/g, '')});\n"
                    + "    await a.addIceCandidate({candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 ' + udpPort\n"
                    + "      + ' typ host', sdpMid: '0', sdpMLineIndex: 0});\n"
                    + "    out.push('webrtc');\n"
                    + "  } catch (e) { out.push('webrtc: ' + e); }\n"
                    + "  if (typeof WebTransport !== 'undefined') {\n"
                    + "    try { new WebTransport('https://127.0.0.1:' + udpPort + '/').ready.catch(() => {});\n"
                    + "      out.push('webtransport'); } catch (e) { out.push('webtransport: ' + e); }\n"
                    + "  }\n"
                    + "  const target = 'http://127.0.0.1:' + tcpPort + '/';\n"
                    + "  fetch(target, {mode: 'no-cors'}).catch(() => {});\n"
                    + "  fetch('http://[::ffff:127.0.0.1]:' + tcpPort + '/', {mode: 'no-cors'}).catch(() => {});\n"
                    + "  try { new WebSocket('ws://127.0.0.1:' + tcpPort + '/'); } catch (e) { }\n"
                    + "  navigator.sendBeacon(target + 'beacon', 'x');\n"
                    + "  const img = new Image(); img.src = target + 'img.png'; document.body.appendChild(img);\n"
                    + "  const f = document.createElement('iframe'); f.src = target + 'frame';\n"
                    + "  document.body.appendChild(f);\n"
                    + "  await wait(4000);\n"
                    + "  return out;\n"
                    + "}", List.of(udpPort, tcpPort));
            assertThat(tried.toString()).contains("webrtc");
        }
        // anything in flight has had time to arrive
        Thread.sleep(500);
        assertThat(datagrams.get()).as("UDP datagrams that reached the loopback listener").isZero();
        assertThat(connections.get()).as("TCP connections that reached the loopback listener").isZero();
    }
}
