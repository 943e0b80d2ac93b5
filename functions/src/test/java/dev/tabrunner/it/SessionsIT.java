package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsIT {
    private final TestSystem sys = TestSystem.get();

    @Test
    void create_returns201WithDefaults() {
        Api api = sys.newTenant("user");
        var r = api.post("/browser/sessions", "{}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode s = r.json();
        UUID.fromString(s.get("id").asText());
        assertThat(s.get("status").asText()).isEqualTo("active");
        assertThat(s.at("/viewport/width").asInt()).isEqualTo(1280);
        assertThat(s.at("/viewport/height").asInt()).isEqualTo(960);
        assertThat(s.get("inactivityTimeoutMs").asLong()).isEqualTo(300_000);
        Instant created = Instant.parse(s.get("createdAt").asText());
        assertThat(Duration.between(created, Instant.parse(s.get("expiresAt").asText())))
                .isEqualTo(Duration.ofMinutes(5));
    }

    /** Seed 002's example asks for a 123-pixel viewport; Chromium renders down to one CSS pixel. */
    @Test
    void theViewport_mayBeAsSmallAsChromiumRenders() {
        Api api = sys.newTenant("user");
        var r = api.post("/browser/sessions", "{\"viewport\":{\"width\":1,\"height\":123.0},"
                + "\"inactivityTimeoutMs\":60000.0}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().get("id").asText();

        var task = api.runTask(id, "{\"url\":\"" + sys.url("/viewport.html") + "\",\"screenshot\":{},"
                + "\"actions\":[{\"type\":\"evaluate\",\"script\":\"innerWidth + 'x' + innerHeight\"}]}");

        assertThat(task.status()).as(task.body()).isEqualTo(201);
        assertThat(task.json().at("/results/0/value").asText()).isEqualTo("1x123");
        assertThat(api.post("/browser/sessions", "{\"viewport\":{\"width\":0}}").status()).isEqualTo(400);
    }

    /** allowedDomains on a session hold for every task in it, scripted ones included (v1's semantics). */
    @Test
    void allowedDomains_ofASession_holdForItsScriptedTasks() {
        Api api = sys.newTenant("user");
        String id = api.post("/browser/sessions", "{\"allowedDomains\":[\"127.0.0.1\"]}").json().get("id")
                .asText();

        var inside = api.runTask(id, "{\"url\":\"" + sys.url("/index.html") + "\"}");
        var outside = api.runTask(id, "{\"url\":\"" + sys.url("/index.html").replace("127.0.0.1", "localhost")
                + "\"}");

        assertThat(inside.status()).as(inside.body()).isEqualTo(201);
        assertThat(outside.status()).as(outside.body()).isEqualTo(403);
        assertThat(outside.json().at("/error/code").asText()).isEqualTo("destination_blocked");
        assertThat(outside.json().at("/error/message").asText()).contains("allowed_domains");
        // the same URL in a session without the list is fine
        assertThat(api.runTask(sys.newSession(api), "{\"url\":\"" + sys.url("/index.html")
                .replace("127.0.0.1", "localhost") + "\"}").status()).isEqualTo(201);
    }

    @Test
    void create_keepsTheOptionsItWasGiven() {
        Api api = sys.newTenant("user");
        var r = api.post("/browser/sessions", "{\"viewport\":{\"width\":800,\"height\":600},\"userAgent\":\"TabrunnerTest/1\","
                + "\"locale\":\"fr-FR\",\"timezoneId\":\"Europe/Paris\",\"inactivityTimeoutMs\":60000}");
        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asText();
        JsonNode s = api.get("/browser/sessions/" + id).json();
        assertThat(s.at("/viewport/width").asInt()).isEqualTo(800);
        assertThat(s.get("userAgent").asText()).isEqualTo("TabrunnerTest/1");
        assertThat(s.get("locale").asText()).isEqualTo("fr-FR");
        assertThat(s.get("timezoneId").asText()).isEqualTo("Europe/Paris");
        assertThat(s.get("inactivityTimeoutMs").asLong()).isEqualTo(60_000);

        var task = api.runTask(id, "{\"url\":\"" + sys.url("/index.html") + "\",\"actions\":[{\"type\":\"evaluate\","
                + "\"script\":\"[innerWidth, navigator.userAgent, navigator.language,"
                + " Intl.DateTimeFormat().resolvedOptions().timeZone]\"}]}");
        assertThat(task.status()).isEqualTo(201);
        JsonNode value = task.json().at("/results/0/value");
        assertThat(value.get(0).asInt()).isEqualTo(800);
        assertThat(value.get(1).asText()).isEqualTo("TabrunnerTest/1");
        assertThat(value.get(2).asText()).isEqualTo("fr-FR");
        assertThat(value.get(3).asText()).isEqualTo("Europe/Paris");
    }

    @Test
    void create_refusesBadOptions_naming400Field() {
        Api api = sys.newTenant("user");
        // 0: below the one CSS pixel Chromium renders (5 was refused too until the bound followed Chromium's)
        assertThat(api.post("/browser/sessions", "{\"viewport\":{\"width\":0}}").json().at("/error/field").asText())
                .isEqualTo("viewport.width");
        assertThat(api.post("/browser/sessions", "{\"timezoneId\":\"Mars/Base\"}").status()).isEqualTo(400);
        assertThat(api.post("/browser/sessions", "{\"inactivityTimeoutMs\":5}").status()).isEqualTo(400);
        // past the integer range: refused, not wrapped around into a valid width (4294968576 = 2^32 + 1280)
        assertThat(api.post("/browser/sessions", "{\"viewport\":{\"width\":4294968576}}").status()).isEqualTo(400);
        assertThat(api.post("/browser/sessions", "{\"inactivityTimeoutMs\":18446744073709851616}").status())
                .isEqualTo(400);
        assertThat(api.post("/browser/sessions", "{\"colour\":\"blue\"}").status()).isEqualTo(400);
        var malformed = api.post("/browser/sessions", "{\"locale\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/code").asText()).isEqualTo("invalid_json");
        assertThat(malformed.json().at("/error/message").asText()).contains("line 1");
    }

    @Test
    void list_isNewestFirst_andPagesWithACursor() {
        Api api = sys.newTenant("user");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(sys.newSession(api));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/browser/sessions?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("sessions").forEach(s -> seen.add(s.get("id").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly(created.get(4), created.get(3), created.get(2), created.get(1),
                created.get(0));
        assertThat(api.get("/browser/sessions?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/browser/sessions?cursor=garbage").status()).isEqualTo(400);
    }

    @Test
    void delete_terminates_andLaterTasksAreRefusedSayingSo() {
        Api api = sys.newTenant("user");
        String id = sys.newSession(api);
        var deleted = api.delete("/browser/sessions/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("status").asText()).isEqualTo("terminated");
        assertThat(api.get("/browser/sessions/" + id).json().get("status").asText()).isEqualTo("terminated");
        var task = api.runTask(id, "{\"url\":\"" + sys.url("/index.html") + "\"}");
        // seed 000: 404 for a session that is not there to run tasks; the code says why
        assertThat(task.status()).isEqualTo(404);
        assertThat(task.json().at("/error/code").asText()).isEqualTo("session_terminated");
        assertThat(task.json().at("/error/message").asText()).contains("terminated");
    }

    @Test
    void inactiveSession_expires_andRefusesTasksSayingSo() throws InterruptedException {
        Api api = sys.newTenant("user");
        String id = api.post("/browser/sessions", "{\"inactivityTimeoutMs\":10000}").json().get("id").asText();
        Thread.sleep(10_500);
        assertThat(api.get("/browser/sessions/" + id).json().get("status").asText()).isEqualTo("expired");
        var task = api.runTask(id, "{}");
        assertThat(task.status()).isEqualTo(404);
        assertThat(task.json().at("/error/code").asText()).isEqualTo("session_expired");
        assertThat(task.json().at("/error/message").asText()).contains("expired");
    }

    @Test
    void unknownSession_is404() {
        Api api = sys.newTenant("user");
        var r = api.get("/browser/sessions/" + UUID.randomUUID());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("session_not_found");
        assertThat(api.runTask(UUID.randomUUID().toString(), "{}").status()).isEqualTo(404);
    }
}
