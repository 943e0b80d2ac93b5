package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 002's own run-task example on a default deployment (no operator proxies, nothing but a model configured):
 * posted as the seed writes it, with its {@code "<string>"} placeholders replaced only where the seed's types demand
 * a real value, it runs. Its files are uploaded the way the seed says ("use uploads/presigned-url endpoint to upload
 * the files first!"). An operator who promises proxies makes an explicit proxy request strict.
 */
class BrowserUseV1DefaultDeploymentIT {
    private static final FixtureServer site = FixtureServer.start();
    private static final ScriptedModelServer model = ScriptedModelServer.start();
    private static LocalServer server;

    @BeforeAll
    static void start() {
        server = TestSystem.startServer(TestSystem.tempDir(), TestSystem.scriptedModel(model));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
        site.close();
    }

    /** Uploads through a link of {@code uploads/presigned-url}, as browser-use's documentation shows it. */
    private static String uploadThroughALink(Api api, String fileName, String contentType, String content) {
        var link = api.post("/api/v1/uploads/presigned-url", "{\"file_name\":\"" + fileName
                + "\",\"content_type\":\"" + contentType + "\"}");
        assertThat(link.status()).as(link.body()).isEqualTo(200);
        String url = link.json().get("upload_url").asText();
        assertThat(url).startsWith(server.baseUrl() + "/api/v1/uploads/link/");
        assertThat(link.json().get("expires_in").asLong()).isPositive();
        Api anonymous = new Api(server.baseUrl(), null);
        var put = anonymous.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(content)).build());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("file_name").asText()).isEqualTo(fileName);
        // single use: the same link takes nothing more, and no API key opens it either
        var again = anonymous.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers
                .ofString("replaced")).build());
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().has("detail")).isTrue();
        return fileName;
    }

    private static String awaitStatus(Api api, String id, String... wanted) throws InterruptedException {
        String status = "";
        for (int i = 0; i < 400 && !List.of(wanted).contains(status); i++) {
            Thread.sleep(100);
            status = api.get("/api/v1/task/" + id + "/status").json().asText();
        }
        return status;
    }

    @Test
    void theSeedsRunTaskExample_runsOnADefaultDeployment_andSaysItRanWithoutAProxy() throws Exception {
        Api api = TestSystem.newTenant(server);
        String file = uploadThroughALink(api, "orders.csv", "text/csv", "id,total\n1,9.99\n");
        String body = SeedExamples.v1RunTaskFilledIn("[\"127.0.0.1\"]", "{\"type\":\"object\",\"required\":"
                + "[\"size\"],\"properties\":{\"size\":{\"type\":\"string\"}}}", "[\"" + file + "\"]");
        assertThat(body).contains("\"browser_viewport_width\": 123").contains("\"use_proxy\": true")
                .contains("\"proxy_country_code\": \"us\"").contains("\"task\": \"<string>\"");
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}"))
                .then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/viewport.html") + "\"}"))
                .then(r -> {
                    assertThat(ScriptedModelServer.lastUserText(r)).contains("Viewport is 123x123");
                    return Reply.tool("done", "{\"message\":\"read it\",\"output\":{\"size\":\"123x123\"}}");
                });

        var created = api.post("/api/v1/run-task", body);

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String id = created.json().get("id").asText();
        assertThat(awaitStatus(api, id, "finished", "failed", "stopped")).isEqualTo("finished");
        JsonNode t = api.get("/api/v1/task/" + id).json();
        assertThat(Json.mapper().readTree(t.get("output").asText()).get("size").asText()).isEqualTo("123x123");
        assertThat(t.get("user_uploaded_files").toString()).isEqualTo("[\"orders.csv\"]");
        assertThat(t.at("/browser_data/cookies").toString()).contains("ada-lovelace");
        assertThat(t.get("public_share_url").asText()).startsWith(server.baseUrl() + "/share/" + id);
        assertThat(t.get("metadata").toString()).isEqualTo("{\"campaign\":\"q4-automation\",\"team\":\"marketing\"}");
        assertThat(t.at("/proxy/country_code").asText()).isEqualTo("us");
        assertThat(t.at("/proxy/used").asBoolean()).isFalse();
        assertThat(t.at("/proxy/detail").asText()).contains("ran without a proxy");
        assertThat(model.requests().get(0).get("model").asText()).contains("gpt-4o");
    }

    @Test
    void anOperatorWhoPromisesProxies_makesAnExplicitProxyRequestStrict() {
        Map<String, String> strict = TestSystem.scriptedModel(model);
        strict.put("TABRUNNER_PROXY_STRICT", "true");
        try (LocalServer promising = TestSystem.startServer(TestSystem.tempDir(), strict)) {
            Api api = TestSystem.newTenant(promising);

            var r = api.post("/api/v1/run-task", "{\"task\":\"x\",\"use_proxy\":true,\"proxy_country_code\":\"us\"}");

            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.json().at("/detail/0/loc").toString()).isEqualTo("[\"body\",\"proxy_country_code\"]");
            assertThat(r.json().at("/detail/0/msg").asText()).contains("TABRUNNER_PROXY_US");
            assertThat(api.get("/api/v1/tasks").json().get("total_count").asInt()).isZero();
        }
    }

    @Test
    void uploadLinks_needAKeyToBeMade_andRefuseWhatIsNotAFile() {
        Api api = TestSystem.newTenant(server);
        assertThat(new Api(server.baseUrl(), null).post("/api/v1/uploads/presigned-url",
                "{\"file_name\":\"a.csv\",\"content_type\":\"text/csv\"}").status()).isEqualTo(401);
        var missing = api.post("/api/v1/uploads/presigned-url", "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").findValuesAsText("type")).containsOnly("missing");
        // a path is cut to its last part, as for every upload
        assertThat(api.post("/api/v1/uploads/presigned-url", "{\"file_name\":\"../etc/passwd\",\"content_type\":"
                + "\"text/plain\"}").json().get("file_name").asText()).isEqualTo("passwd");
        assertThat(api.post("/api/v1/uploads/presigned-url", "{\"file_name\":\"a b<c>.csv\",\"content_type\":"
                + "\"text/csv\"}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/uploads/presigned-url", "{\"file_name\":\"a.csv\",\"content_type\":"
                + "\"not a type\"}").status()).isEqualTo(422);
        assertThat(new Api(server.baseUrl(), null).send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/api/v1/uploads/link/" + "x".repeat(43))).PUT(HttpRequest.BodyPublishers.ofString("x",
                StandardCharsets.UTF_8)).build()).status()).isEqualTo(404);
    }
}
