package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.UpstreamProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The egress proxy with a task's rules, spoken to over raw sockets the way Chromium speaks to it: absolute-form
 * requests and CONNECT tunnels, to a fixture site and through a fixture upstream proxy, all on loopback.
 */
class EgressProxyTest {
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ada:s3cret".getBytes(StandardCharsets.UTF_8));
    private static FixtureServer site;
    private static UpstreamProxyFixture upstream;
    private static EgressProxy proxy;
    private static UpstreamProxies proxies;
    private static int closedPort;

    /** The test's own names, all on loopback. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.endsWith(".test") || host.endsWith("doubleclick.net")) {
            return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        }
        throw new UnknownHostException(host);
    }

    @BeforeAll
    static void start() throws IOException {
        site = FixtureServer.start();
        upstream = UpstreamProxyFixture.start(AUTH);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        proxies = UpstreamProxies.from(Map.of(
                "TABRUNNER_PROXY_US", "http://ada:s3cret@127.0.0.1:" + upstream.port(),
                "TABRUNNER_PROXY_JP", "http://eve:wrong@127.0.0.1:" + upstream.port(),
                "TABRUNNER_PROXY_DE", "http://127.0.0.1:" + closedPort));
        proxy = EgressProxy.start(EgressPolicy.fromAllowList("127.0.0.1", EgressProxyTest::resolve));
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        upstream.close();
        site.close();
    }

    @AfterEach
    void reset() {
        proxy.listener(null);
        upstream.clear();
    }

    private static NetworkLog task(List<String> allowed, boolean adblock, String country) {
        NetworkLog log = new NetworkLog(Clock.systemUTC(), BrowsingRules.of(
                new BrowsingOptions(allowed, adblock, country, false), proxies));
        proxy.listener(log);
        return log;
    }

    private static String url(String host, String path) {
        return "http://" + host + ":" + site.port() + path;
    }

    /** Sends one request to the egress proxy and reads the answer until the proxy closes. */
    private static String send(String head) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(
                proxy.address().substring(proxy.address().lastIndexOf(':') + 1)))) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String get(String url) throws IOException {
        String host = url.substring(7, url.indexOf('/', 7));
        return send("GET " + url + " HTTP/1.1\r\nHost: " + host + "\r\nProxy-Connection: keep-alive\r\n\r\n");
    }

    private static JsonNode echoed(String response) throws IOException {
        return dev.tabrunner.json.Json.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void aRefusalNoPageAskedFor_staysOutOfTheLog() throws IOException {
        NetworkLog log = task(List.of("shop.test"), false, null);

        String refused = get(url("other.test", "/background"));

        assertThat(refused).startsWith("HTTP/1.1 403");
        assertThat(log.blockedCount()).isEqualTo(1);
        assertThat(log.toJson()).isEmpty();
    }

    @Test
    void allowedDomains_refuseOtherHosts_withTheReasonInTheLogAndOnThePage() throws IOException {
        NetworkLog log = task(List.of("shop.test"), false, null);

        String allowed = get(url("shop.test", "/index.html"));
        // as a browser does, the page's own request event comes with the request (a refusal the page did not cause,
        // the browser's own background traffic, stays out of the log)
        log.page("GET", url("other.test", "/index.html"), "document");
        String refused = get(url("other.test", "/index.html"));

        assertThat(allowed).startsWith("HTTP/1.1 200");
        assertThat(refused).startsWith("HTTP/1.1 403").contains(EgressProxy.BLOCKED_HEADER + ": blocked")
                .contains("other.test is not in the task&#39;s allowed_domains".replace("&#39;", "'"));
        assertThat(log.blockedCount()).isEqualTo(1);
        JsonNode entry = log.toJson().get(1);
        assertThat(entry.get("blocked").asBoolean()).isTrue();
        assertThat(entry.get("url").asText()).isEqualTo(url("other.test", "/index.html"));
        assertThat(entry.get("reason").asText()).isEqualTo("other.test is not in the task's allowed_domains");
    }

    @Test
    void allowedDomains_applyToTunnelsToo() throws IOException {
        task(List.of("*.shop.test"), false, null);

        assertThat(send("CONNECT www.other.test:443 HTTP/1.1\r\nHost: www.other.test:443\r\n\r\n"))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void adblock_refusesListedHostsAndTheirSubdomains_only() throws IOException {
        NetworkLog log = task(List.of(), true, null);

        assertThat(get(url("ad.doubleclick.net", "/index.html"))).startsWith("HTTP/1.1 403");
        assertThat(get(url("notdoubleclick.net", "/index.html"))).doesNotStartWith("HTTP/1.1 403");
        assertThat(get(url("shop.test", "/index.html"))).startsWith("HTTP/1.1 200");

        assertThat(log.lastBlocked()).endsWith("ad.doubleclick.net is blocked by the ad blocker");
        assertThat(log.blockedCount()).isEqualTo(1);
    }

    @Test
    void withoutTaskRules_requestsGoDirect() throws IOException {
        assertThat(get(url("shop.test", "/echo"))).startsWith("HTTP/1.1 200");
        task(List.of(), false, null);
        assertThat(get(url("shop.test", "/echo"))).startsWith("HTTP/1.1 200");

        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void proxyCountry_sendsPlainHttpToTheUpstreamInAbsoluteForm_withItsCredentials() throws IOException {
        task(List.of(), false, "us");

        String response = get(url("shop.test", "/echo?x=1"));

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(upstream.seen()).containsExactly(new UpstreamProxyFixture.Seen(
                "GET " + url("shop.test", "/echo?x=1") + " HTTP/1.1", AUTH));
        JsonNode headers = echoed(response);
        // the site gets the browser's request, not the operator's credentials
        assertThat(headers.toString()).doesNotContain("Basic").doesNotContainIgnoringCase("proxy-");
        assertThat(headers.get("Host").asText()).isEqualTo("shop.test:" + site.port());
    }

    @Test
    void proxyCountry_carriesARequestBodyToo() throws IOException {
        task(List.of(), false, "us");
        String body = "name=ada&plan=pro";

        String response = send("POST " + url("shop.test", "/echo") + " HTTP/1.1\r\nHost: shop.test\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body);

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(upstream.seen()).extracting(UpstreamProxyFixture.Seen::method).containsExactly("POST");
    }

    @Test
    void proxyCountry_opensTunnelsThroughTheUpstream() throws IOException {
        task(List.of(), false, "us");
        String authority = "shop.test:" + site.port();

        String response;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(
                proxy.address().substring(proxy.address().lastIndexOf(':') + 1)))) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String established = readHead(in);
            assertThat(established).startsWith("HTTP/1.1 200");
            // the tunnel carries whatever the browser speaks; plain HTTP here, TLS in real life
            out.write("GET /echo HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 200").contains("\"path\":\"/echo\"");
        assertThat(upstream.seen()).containsExactly(new UpstreamProxyFixture.Seen(
                "CONNECT " + authority + " HTTP/1.1", AUTH));
    }

    @Test
    void proxyCountry_sendsWebSocketUpgradesThroughATunnel() throws IOException {
        task(List.of(), false, "us");

        String head;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(
                proxy.address().substring(proxy.address().lastIndexOf(':') + 1)))) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("GET ws://shop.test:" + site.port() + "/echo HTTP/1.1\r\nHost: shop.test\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // the connection stays open after an upgrade request: only the answer's head is read
            head = readHead(s.getInputStream());
        }

        assertThat(upstream.seen()).extracting(UpstreamProxyFixture.Seen::requestLine)
                .containsExactly("CONNECT shop.test:" + site.port() + " HTTP/1.1");
        // the fixture site is no WebSocket server: its plain answer came back through the tunnel
        assertThat(head).startsWith("HTTP/1.1 200");
    }

    @Test
    void proxyCountry_stillObeysThePolicyAndTheTaskRules_beforeTheUpstream() throws IOException {
        task(List.of("shop.test"), false, "us");

        assertThat(get(url("other.test", "/echo"))).startsWith("HTTP/1.1 403");
        assertThat(get("http://169.254.169.254/latest/meta-data/")).startsWith("HTTP/1.1 403");

        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void upstreamRefusingTheCredentials_givesA502_andALogEntry() throws IOException {
        NetworkLog log = task(List.of(), false, "jp");

        String plain = get(url("shop.test", "/echo"));
        String tunnel = send("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n");

        for (String response : List.of(plain, tunnel)) {
            assertThat(response).startsWith("HTTP/1.1 502")
                    .contains(EgressProxy.BLOCKED_HEADER + ": " + EgressProxy.UPSTREAM_FAILED)
                    .contains("407 Proxy Authentication Required");
        }
        assertThat(log.upstreamFailureCount()).isEqualTo(2);
        assertThat(log.lastUpstreamFailure()).contains("407");
        assertThat(log.toJson().toString()).contains("\"failed\":true").doesNotContain("wrong");
    }

    @Test
    void unreachableUpstream_givesA502_atOnce() throws IOException {
        NetworkLog log = task(List.of(), false, "de");
        long start = System.nanoTime();

        String plain = get(url("shop.test", "/echo"));
        String tunnel = send("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n");

        assertThat(plain).startsWith("HTTP/1.1 502").contains(EgressProxy.UPSTREAM_FAILED)
                .contains("could not be reached");
        assertThat(tunnel).startsWith("HTTP/1.1 502");
        assertThat(log.upstreamFailureCount()).isEqualTo(2);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            head.append((char) b);
        }
        return head.toString();
    }
}
