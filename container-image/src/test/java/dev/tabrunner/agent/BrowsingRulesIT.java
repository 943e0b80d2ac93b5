package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.adapter.openai.OpenAiCompatibleLanguageModel;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.engine.BrowserHost;
import dev.tabrunner.engine.BrowserSettings;
import dev.tabrunner.engine.BrowsingRules;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.PlaywrightEngine;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.testing.UpstreamProxyFixture;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ModelCatalog;
import dev.tabrunner.llm.ModelInfo;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's own network rules in real Chromium, through the worker's engine and egress proxy: allowed_domains,
 * the ad blocker and the upstream proxy per country. Every host name is the test's own and resolves to loopback
 * (the egress policy gets its own resolver and admits 127.0.0.1), so pages on "different sites" are one fixture
 * server reached under several names.
 */
class BrowsingRulesIT {
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ada:s3cret".getBytes(StandardCharsets.UTF_8));
    private static HttpServer site;
    /** The Host header of every request the site received. */
    private static final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    private static UpstreamProxyFixture upstream;
    private static java.net.Socket refusingPort;
    private static BrowserHost host;
    private static PlaywrightEngine engine;

    private static InetAddress[] resolve(String name) throws UnknownHostException {
        if (name.endsWith(".test") || name.endsWith("doubleclick.net")) {
            return new InetAddress[]{InetAddress.getByName("127.0.0.1")};
        }
        throw new UnknownHostException(name);
    }

    @BeforeAll
    static void start() throws IOException {
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/", BrowsingRulesIT::serve);
        site.start();
        upstream = UpstreamProxyFixture.start(AUTH);
        // a port bound but never listened on refuses connections, and stays ours (a closed port could be handed to
        // the egress proxy started later, which would then carry the "unreachable" proxy's traffic)
        refusingPort = new java.net.Socket();
        refusingPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int closedPort = refusingPort.getLocalPort();
        BrowserSettings defaults = BrowserSettings.from(Map.of());
        UpstreamProxies proxies = UpstreamProxies.from(Map.of(
                "TABRUNNER_PROXY_US", "http://ada:s3cret@127.0.0.1:" + upstream.port(),
                "TABRUNNER_PROXY_DE", "http://127.0.0.1:" + closedPort));
        BrowserSettings settings = new BrowserSettings(defaults.executable(), defaults.args(), 5_000, 10_000,
                EgressPolicy.fromAllowList("127.0.0.1", BrowsingRulesIT::resolve), proxies);
        host = new BrowserHost(settings);
        engine = new PlaywrightEngine(settings, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        host.close();
        upstream.close();
        refusingPort.close();
        site.stop(0);
    }

    @BeforeEach
    void clear() {
        hostsSeen.clear();
        upstream.clear();
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String hostHeader = exchange.getRequestHeaders().getFirst("Host");
            hostsSeen.add(hostHeader.substring(0, hostHeader.lastIndexOf(':')));
            String path = exchange.getRequestURI().getPath();
            String body;
            String type = "text/html; charset=utf-8";
            if (path.equals("/shop")) {
                body = "<!doctype html><html><body><h1>Shop</h1><img src=\"" + url("img.shop.test", "/pixel.gif")
                        + "\"><img src=\"" + url("ads.doubleclick.net", "/pixel.gif") + "\"></body></html>";
            } else if (path.equals("/pixel.gif")) {
                body = "GIF89a";
                type = "image/gif";
            } else {
                body = "<!doctype html><html><body><h1>Other site</h1></body></html>";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String url(String name, String path) {
        return "http://" + name + ":" + site.getAddress().getPort() + path;
    }

    private static EngineOutcome run(BrowsingOptions browsing, PageProgram program) {
        return engine.run(host, new ContextSpec(SessionOptions.defaults(), null, null, browsing, true), program,
                EngineListener.discarding(), TaskControl.NONE);
    }

    /** A program that opens the shop page and ends. */
    private static PageProgram openShop() {
        return (page, actions) -> {
            actions.run(page, new Action.Navigate(url("shop.test", "/shop"), WaitUntil.LOAD, null));
            return null;
        };
    }

    /**
     * The requests the task's own rules refused (Chromium's own background requests, such as to
     * accounts.google.com, are refused by the operator's policy here: this test's resolver knows no such name).
     */
    private static List<JsonNode> blocked(ArrayNode network) {
        List<JsonNode> out = new java.util.ArrayList<>();
        network.forEach(e -> {
            if (e.path("blocked").asBoolean() && BrowsingRules.isTaskRefusal(e.path("reason").asText())) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void allowedDomains_refuseOtherHosts_andTheAgentReadsTheRefusalAsAFailedAction() throws Exception {
        String other = url("other.test", "/other");
        EngineOutcome outcome;
        try (ScriptedModelServer model = ScriptedModelServer.start()) {
            model.then(r -> Reply.tool("navigate", "{\"url\":\"" + other + "\"}"))
                    .then(r -> {
                        List<String> results = ScriptedModelServer.toolResults(r);
                        assertThat(results.get(results.size() - 1)).contains("destination_blocked")
                                .contains("other.test is not in the task's allowed_domains")
                                .doesNotContain("TABRUNNER_EGRESS_ALLOW");
                        return Reply.tool("done", "{\"message\":\"other.test is off limits\"}");
                    });
            var parsed = AgentTaskRequestParser.parse(Json.mapper().readTree("{\"taskDetails\":\"Visit the other "
                    + "site\",\"startingUrl\":\"" + url("shop.test", "/shop") + "\"}"));
            ModelInfo mini = ModelCatalog.BUILT_IN.find("gpt-4o-mini").orElseThrow();
            var lm = new OpenAiCompatibleLanguageModel(URI.create(model.baseUrl()), () -> "test-key", null,
                    HttpClient.newHttpClient(), 1, Duration.ofMillis(10), Duration.ofMillis(10));
            AgentState state = AgentState.fresh();

            outcome = run(new BrowsingOptions(List.of("shop.test"), false, null, false),
                    (page, actions) -> {
                        AgentOutcome o = new AgentLoop(parsed.request(), parsed.secrets(), lm, mini, mini.name(),
                                actions::run, new RecordingHooks(), Clock.systemUTC(), AgentSettings.DEFAULTS)
                                .run(page, state);
                        return o.completed() ? null : o.error();
                    });

            assertThat(outcome.error()).as(String.valueOf(outcome.error())).isNull();
            assertThat(model.scriptFailures()).isEmpty();
            assertThat(state.message()).isEqualTo("other.test is off limits");
        }
        assertThat(hostsSeen).containsOnly("shop.test");
        assertThat(blocked(outcome.network())).anySatisfy(e -> {
            assertThat(e.get("url").asText()).isEqualTo(other);
            assertThat(e.get("reason").asText()).isEqualTo("other.test is not in the task's allowed_domains");
        });
    }

    @Test
    void allowedDomains_logEveryRefusedRequest_withItsReason() {
        EngineOutcome outcome = run(new BrowsingOptions(List.of("shop.test"), false, null, false), openShop());

        assertThat(outcome.error()).isNull();
        assertThat(hostsSeen).containsOnly("shop.test");
        List<JsonNode> blocked = blocked(outcome.network());
        assertThat(blocked).extracting(e -> e.get("reason").asText()).contains(
                "img.shop.test is not in the task's allowed_domains",
                "ads.doubleclick.net is not in the task's allowed_domains");
    }

    @Test
    void adblock_refusesListedHosts_andLetsTheRestLoad() {
        EngineOutcome outcome = run(new BrowsingOptions(List.of(), true, null, false), openShop());

        assertThat(outcome.error()).isNull();
        assertThat(hostsSeen).contains("shop.test", "img.shop.test").doesNotContain("ads.doubleclick.net");
        List<JsonNode> blocked = blocked(outcome.network());
        assertThat(blocked).hasSize(1);
        assertThat(blocked.get(0).get("url").asText()).contains("ads.doubleclick.net");
        assertThat(blocked.get(0).get("reason").asText())
                .isEqualTo("ads.doubleclick.net is blocked by the ad blocker");
    }

    @Test
    void withoutRules_everythingTheOperatorAllowsLoads_directly() {
        EngineOutcome outcome = run(BrowsingOptions.NONE, openShop());

        assertThat(outcome.error()).isNull();
        assertThat(hostsSeen).contains("shop.test", "img.shop.test", "ads.doubleclick.net");
        assertThat(blocked(outcome.network())).isEmpty();
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void proxyCountry_sendsTheBrowsersTrafficThroughTheOperatorsProxy() {
        EngineOutcome outcome = run(new BrowsingOptions(List.of(), true, "us", false), openShop());

        assertThat(outcome.error()).isNull();
        assertThat(upstream.seen()).extracting(UpstreamProxyFixture.Seen::requestLine).contains(
                "GET " + url("shop.test", "/shop") + " HTTP/1.1",
                "GET " + url("img.shop.test", "/pixel.gif") + " HTTP/1.1");
        assertThat(upstream.seen()).extracting(UpstreamProxyFixture.Seen::authorization).containsOnly(AUTH);
        // the ad blocker still refused its host before anything reached the proxy
        assertThat(upstream.seen()).noneMatch(s -> s.requestLine().contains("doubleclick"));
        assertThat(hostsSeen).contains("shop.test", "img.shop.test");
    }

    @Test
    void proxyCountryWithoutAProxy_failsTheTaskBeforeAnythingLoads() {
        EngineOutcome outcome = run(new BrowsingOptions(List.of(), false, "fr", false), openShop());

        assertThat(outcome.error().status()).isEqualTo(422);
        assertThat(outcome.error().code()).isEqualTo("proxy_not_configured");
        assertThat(outcome.error().message()).contains("TABRUNNER_PROXY_FR");
        assertThat(hostsSeen).isEmpty();
    }

    @Test
    void unreachableProxy_failsTheNavigationWithA502_insteadOfGoingDirect() {
        EngineOutcome outcome = run(new BrowsingOptions(List.of(), false, "de", false), openShop());

        assertThat(outcome.error().status()).isEqualTo(502);
        assertThat(outcome.error().code()).isEqualTo("upstream_proxy_failed");
        assertThat(outcome.error().message()).contains("'de'").contains("could not be reached");
        assertThat(hostsSeen).isEmpty();
        assertThat(outcome.network().toString()).contains("\"failed\":true");
    }
}
