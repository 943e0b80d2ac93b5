package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Environments (seed 001: "Persist browser data and files across sessions"; {@code environmentId}: "Environment ID
 * to attach to the session ... a top-level parameter, not nested inside the task"), end to end: real Chromium,
 * DynamoDB Local, fixture pages on loopback, a scripted model for the agent tasks. An environment is the tenant's
 * browser profile, so browser-use v1's {@code browser_profile_id} names the same saved state.
 */
class EnvironmentsIT {
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

    @BeforeEach
    void freshScript() {
        model.reset();
    }

    @AfterEach
    void scriptHeld() {
        assertThat(model.scriptFailures()).isEmpty();
        assertThat(model.unexpectedCalls()).isZero();
    }

    private static Api newTenant() {
        return TestSystem.newTenant(server);
    }

    private static String newEnvironment(Api api, String name) {
        var r = api.post("/browser/environments", "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String newSession(Api api, String body) {
        var r = api.post("/browser/sessions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A scripted task on the fixture site's index page that runs one script and returns its value. */
    private static JsonNode evaluate(Api api, String session, String script) {
        var r = api.runTask(session, "{\"url\":\"" + site.url("/index.html") + "\",\"actions\":[{\"type\":"
                + "\"evaluate\",\"script\":\"" + script + "\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/results/0/value");
    }

    private static final String REMEMBER = "(() => { document.cookie = 'visit=0; max-age=86400; path=/';"
            + " localStorage.setItem('cart', 'keyboard'); return 'set'; })()";
    private static final String READ = "document.cookie + '|' + localStorage.getItem('cart')";

    @Test
    void environments_areCreatedListedReadAndDeleted_showingWhatTheyHold() {
        Api api = newTenant();

        var created = api.post("/browser/environments", "{\"name\":\"Shop login\"}");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode e = created.json();
        assertThat(e.fieldNames()).toIterable().containsExactly("id", "name", "createdAt", "cookies", "origins",
                "files");
        assertThat(e.get("name").asText()).isEqualTo("Shop login");
        assertThat(java.time.Instant.parse(e.get("createdAt").asText())).isNotNull();
        assertThat(e.get("cookies").asInt()).isZero();
        assertThat(e.get("origins")).isEmpty();
        assertThat(e.get("files")).isEmpty();
        String id = e.get("id").asText();
        assertThat(api.get("/browser/environments").json().get("environments").findValuesAsText("id"))
                .containsExactly(id);
        assertThat(api.get("/browser/environments/" + id).json().get("name").asText()).isEqualTo("Shop login");
        assertThat(api.post("/browser/environments", "{}").status()).isEqualTo(201);
        assertThat(api.post("/browser/environments", "{\"colour\":\"red\"}").json().at("/error/field").asText())
                .isEqualTo("colour");
        // another tenant's environment is as unknown as one that never existed
        assertThat(newTenant().get("/browser/environments/" + id).status()).isEqualTo(404);

        assertThat(api.delete("/browser/environments/" + id).status()).isEqualTo(204);

        var gone = api.get("/browser/environments/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/code").asText()).isEqualTo("environment_not_found");
        assertThat(api.delete("/browser/environments/" + id).status()).isEqualTo(404);
        assertThat(api.post("/browser/sessions", "{\"environmentId\":\"" + id + "\"}").status()).isEqualTo(404);
    }

    @Test
    void aSessionStartedFromAnEnvironment_getsItsCookiesStorageAndFiles_whichItsTasksWroteBack() {
        Api api = newTenant();
        String env = newEnvironment(api, "shop");
        String first = newSession(api, "{\"environmentId\":\"" + env + "\"}");
        assertThat(api.get("/browser/sessions/" + first).json().get("environmentId").asText()).isEqualTo(env);
        var upload = api.uploadMultipart(first, "notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String fileId = upload.json().get("id").asText();

        assertThat(evaluate(api, first, REMEMBER).asText()).isEqualTo("set");

        // written back after the task: the environment now holds the cookie, the origin's storage and the file
        JsonNode held = api.get("/browser/environments/" + env).json();
        assertThat(held.get("cookies").asInt()).isEqualTo(1);
        assertThat(held.get("origins").toString()).contains(site.url("").replaceAll("/$", ""));
        assertThat(held.get("files").findValuesAsText("filename")).containsExactly("notes.txt");
        assertThat(held.get("files").findValuesAsText("id")).containsExactly(fileId);

        String second = newSession(api, "{\"environmentId\":\"" + env + "\"}");
        assertThat(evaluate(api, second, READ).asText()).isEqualTo("visit=0|keyboard");
        assertThat(api.get("/browser/sessions/" + second + "/files").json().get("files").findValuesAsText("id"))
                .containsExactly(fileId);
        var uploaded = api.runTask(second, "{\"url\":\"" + site.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"uploadFile\",\"selector\":\"#upload\",\"filename\":\"" + fileId + "\"},"
                + "{\"type\":\"evaluate\",\"script\":\"document.querySelector('#upload-name').textContent\"}]}");
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        assertThat(uploaded.json().at("/results/1/value").asText()).isEqualTo("notes.txt");

        // a session without one starts empty
        String plain = newSession(api, "{}");
        assertThat(evaluate(api, plain, READ).asText()).isEqualTo("|null");
    }

    /** Sessions of one environment: the one that writes last wins, and terminating a session writes it back too. */
    @Test
    void terminatingASession_writesItsStateBack_theLastWriterWins() {
        Api api = newTenant();
        String env = newEnvironment(api, "two sessions");
        String a = newSession(api, "{\"environmentId\":\"" + env + "\"}");
        String b = newSession(api, "{\"environmentId\":\"" + env + "\"}");
        evaluate(api, a, "(() => { document.cookie = 'who=a; max-age=86400; path=/'; return 1; })()");
        evaluate(api, b, "(() => { document.cookie = 'who=b; max-age=86400; path=/'; return 1; })()");
        assertThat(evaluate(api, newSession(api, "{\"environmentId\":\"" + env + "\"}"), "document.cookie")
                .asText()).isEqualTo("who=b");

        assertThat(api.delete("/browser/sessions/" + a).status()).isEqualTo(200);

        assertThat(evaluate(api, newSession(api, "{\"environmentId\":\"" + env + "\"}"), "document.cookie")
                .asText()).isEqualTo("who=a");
    }

    @Test
    void environmentId_onAnAgentTask_attachesItsSession_andOnRunTask_startsItsOwn() {
        Api api = newTenant();
        String env = newEnvironment(api, "remembered");
        evaluate(api, newSession(api, "{\"environmentId\":\"" + env + "\"}"),
                "(() => { document.cookie = 'remembered=ada-lovelace; max-age=86400; path=/'; return 1; })()");
        String session = newSession(api, "{}");
        model.then(r -> {
            assertThat(ScriptedModelServer.lastUserText(r)).contains("remembered=ada-lovelace");
            return Reply.tool("done", "{\"message\":\"remembered\"}");
        });

        var task = api.post("/browser/sessions/" + session + "/tasks", "{\"taskDetails\":\"Read the cookies\","
                + "\"startingUrl\":\"" + site.url("/viewport.html") + "\",\"environmentId\":\"" + env + "\"}");

        assertThat(task.status()).as(task.body()).isEqualTo(201);
        assertThat(api.get("/browser/sessions/" + session).json().get("environmentId").asText()).isEqualTo(env);
        // the session keeps it; another environment, or one the tenant does not have, is refused
        String other = newEnvironment(api, "other");
        var conflict = api.post("/browser/sessions/" + session + "/tasks", "{\"taskDetails\":\"x\","
                + "\"environmentId\":\"" + other + "\"}");
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.json().at("/error/code").asText()).isEqualTo("environment_conflict");
        var unknown = api.post("/browser/sessions/" + newSession(api, "{}") + "/tasks", "{\"taskDetails\":\"x\","
                + "\"environmentId\":\"no-such-environment\"}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);

        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}"))
                .then(r -> Reply.tool("done", "{\"message\":\"done\"}"));
        var run = api.post("/browser/run-task", "{\"taskDetails\":\"Get remembered\",\"environmentId\":\"" + other
                + "\"}");
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(api.get("/browser/environments/" + other).json().get("cookies").asInt()).isEqualTo(1);
    }

    @Test
    void aBrowserUseV1Profile_andANativeEnvironment_areOneStore() throws Exception {
        Api api = newTenant();
        String env = newEnvironment(api, "shared");
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}"))
                .then(r -> Reply.tool("done", "{\"message\":\"remembered\"}"));

        var v1 = api.post("/api/v1/run-task", "{\"task\":\"Get remembered\",\"browser_profile_id\":\"" + env
                + "\",\"save_browser_data\":true,\"use_proxy\":false}");
        assertThat(v1.status()).as(v1.body()).isEqualTo(200);
        awaitV1(api, v1.json().get("id").asText());

        assertThat(api.get("/browser/environments/" + env).json().get("cookies").asInt()).isEqualTo(1);
        String session = newSession(api, "{\"environmentId\":\"" + env + "\"}");
        assertThat(evaluate(api, session, "document.cookie").asText()).isEqualTo("remembered=ada-lovelace");

        // a profile v1 saved into by name is an environment of that id
        model.then(r -> Reply.tool("navigate", "{\"url\":\"" + site.url("/remember-me.html") + "\"}"))
                .then(r -> Reply.tool("done", "{\"message\":\"remembered\"}"));
        var named = api.post("/api/v1/run-task", "{\"task\":\"Get remembered\",\"browser_profile_id\":\"shop\","
                + "\"save_browser_data\":true,\"use_proxy\":false}");
        awaitV1(api, named.json().get("id").asText());
        JsonNode shop = api.get("/browser/environments/shop").json();
        assertThat(shop.get("name").asText()).isEqualTo("shop");
        assertThat(shop.get("cookies").asInt()).isEqualTo(1);
        assertThat(api.get("/browser/environments").json().get("environments").findValuesAsText("id"))
                .containsExactlyInAnyOrder(env, "shop");
    }

    private static void awaitV1(Api api, String id) throws InterruptedException {
        String status = "";
        for (int i = 0; i < 300 && !List.of("finished", "failed", "stopped").contains(status); i++) {
            Thread.sleep(100);
            status = api.get("/api/v1/task/" + id + "/status").json().asText();
        }
        assertThat(status).isEqualTo("finished");
    }
}
