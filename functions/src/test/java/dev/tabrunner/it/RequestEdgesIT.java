package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small findings of issue 15: inputs that answered 500 (or were accepted and then broke every task) now answer
 * 4xx in each dialect's format, and names a browser resolves pass the pre-check.
 */
class RequestEdgesIT {
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static LocalServer server;
    private static Api operator;

    @BeforeAll
    static void start() {
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_LLM_BASE_URL", model.baseUrl());
        env.put("TABRUNNER_LLM_API_KEY", "sk-scripted");
        env.put("TABRUNNER_LLM_MAX_ATTEMPTS", "1");
        env.put("TABRUNNER_EGRESS_ALLOW", "127.0.0.1,localhost");
        server = TestSystem.startServer(TestSystem.tempDir(), env);
        operator = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
        site.close();
    }

    private static Api tenant() {
        return TestSystem.newTenant(operator, "user");
    }

    private static String session(Api api) {
        return TestSystem.openSession(api);
    }

    private static String nested(int depth) {
        return "{\"type\":\"object\",\"properties\":{\"a\":".repeat(depth) + "{\"type\":\"string\"}"
                + "}}".repeat(depth);
    }

    @Test
    void anOutputSchemaNested400Levels_is400Native_and422V1_notA500() {
        Api api = tenant();
        String deep = nested(400);
        var nativeTask = api.runTask(session(api), "{\"taskDetails\":\"x\",\"outputSchema\":" + deep + "}");
        assertThat(nativeTask.status()).as(nativeTask.body()).isEqualTo(400);
        assertThat(nativeTask.json().at("/error/code").asText()).isEqualTo("invalid_request");
        assertThat(nativeTask.body()).contains("outputSchema");

        var v1 = api.post("/api/v1/run-task", "{\"task\":\"x\",\"structured_output_json\":"
                + dev.tabrunner.json.Json.mapper().valueToTree(deep) + "}");
        assertThat(v1.status()).as(v1.body()).isEqualTo(422);
        assertThat(v1.json().at("/detail/0/loc").toString()).contains("structured_output_json");

        // a schema at the bound still works
        var fine = api.runTask(session(api), "{\"taskDetails\":\"x\",\"outputSchema\":" + nested(20) + "}");
        assertThat(fine.status()).as(fine.body()).isNotIn(400, 500);
    }

    @Test
    void anUnknownCharset_is415_inEveryDialectsFormat() {
        Api api = tenant();
        String s = session(api);
        Map<String, String> bodies = Map.of("/browser/sessions", "{}",
                "/browser/sessions/" + s + "/tasks", "{\"url\":\"" + site.url("/index.html") + "\"}",
                "/api/v1/run-task", "{\"task\":\"x\"}");
        for (String charset : List.of("x-bogus", "\"\"", "utf-8\u0000")) {
            for (Map.Entry<String, String> b : bodies.entrySet()) {
                var r = api.send(api.request(b.getKey()).header("Content-Type",
                        "application/json; charset=" + charset.replace("\u0000", "%00"))
                        .POST(HttpRequest.BodyPublishers.ofString(b.getValue())).build());
                assertThat(r.status()).as(b.getKey() + " " + charset + ": " + r.body()).isEqualTo(415);
                JsonNode body = r.json();
                if (b.getKey().startsWith("/api/v1/")) {
                    assertThat(body.has("detail")).as(r.body()).isTrue();
                } else {
                    assertThat(body.at("/error/code").asText()).as(r.body()).isEqualTo("unsupported_media_type");
                }
            }
        }
        var ok = api.send(api.request("/browser/sessions").header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void v1ProfileIds_thePatternAndTheStorageAgree_atBothEdges() throws Exception {
        Api api = tenant();
        for (String id : List.of("a..b", "a.b_c-d", "x".repeat(128), "0..")) {
            model.then(r -> Reply.tool("done", "{\"message\":\"done\"}"));
            var r = api.post("/api/v1/run-task", "{\"task\":\"x\",\"browser_profile_id\":\"" + id + "\","
                    + "\"save_browser_data\":true}");
            assertThat(r.status()).as(id + ": " + r.body()).isEqualTo(200);
            String task = r.json().get("id").asText();
            String status = null;
            for (int i = 0; i < 200; i++) {
                status = api.get("/api/v1/task/" + task + "/status").json().asText();
                if (status.equals("finished") || status.equals("failed")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(status).as(id + ": " + api.get("/api/v1/task/" + task).body()).isEqualTo("finished");
        }
        for (String id : List.of("..", ".a", "a/b", "../x", "x".repeat(129), "a b", "")) {
            var r = api.post("/api/v1/run-task", "{\"task\":\"x\",\"browser_profile_id\":\"" + id + "\"}");
            assertThat(r.status()).as(id + ": " + r.body()).isEqualTo(422);
            assertThat(r.json().at("/detail/0/loc").toString()).contains("browser_profile_id");
        }
    }

    @Test
    void aUserAgentWithCrOrLf_is400AtSessionCreation() {
        Api api = tenant();
        for (String ua : List.of("Mozilla/5.0\\r\\nX-Injected: 1", "a\\nb", "a\\rb", "a\\u0000b")) {
            var r = api.post("/browser/sessions", "{\"userAgent\":\"" + ua + "\"}");
            assertThat(r.status()).as(ua + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("userAgent");
        }
        var ok = api.post("/browser/sessions", "{\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) Tabrunner/1.0\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void fullWidthAndIdeographicSpellings_areCheckedAsTheBrowserReadsThem() {
        // (internationalized names are checked in their punycode form: EgressPolicyTest, with a resolver of its own)
        Api api = tenant();
        int port = site.port();
        Map<String, String> spelled = Map.of(
                "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:" + port + "/index.html", "localhost",
                "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:" + port + "/index.html", "127.0.0.1",
                "http://127\u30020\u30020\u30021:" + port + "/index.html", "127.0.0.1");
        for (Map.Entry<String, String> e : spelled.entrySet()) {
            var r = api.runTask(session(api), "{\"url\":\"" + e.getKey() + "\",\"actions\":[{\"type\":\"evaluate\","
                    + "\"script\":\"location.hostname\"}]}");
            assertThat(r.status()).as(e.getKey() + ": " + r.body()).isEqualTo(201);
            assertThat(r.json().at("/results/0/value").asText()).isEqualTo(e.getValue());
        }
        // full-width digits spelling a refused address are refused as that address
        var loopback = api.runTask(session(api), "{\"url\":\"http://\uff11\uff12\uff17.0.0.2:" + port + "/\"}");
        assertThat(loopback.status()).as(loopback.body()).isEqualTo(403);
        assertThat(loopback.json().at("/error/code").asText()).isEqualTo("destination_blocked");
    }
}
