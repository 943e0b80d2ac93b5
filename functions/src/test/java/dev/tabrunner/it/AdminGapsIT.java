package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin gaps of issue 17: listing keys, credentials' username and kind, PATCH, and PUT's stated rule. */
class AdminGapsIT {
    private final TestSystem sys = TestSystem.get();

    private static Api.Response patch(Api api, String path, String json) {
        return api.send(api.request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Api.Response put(Api api, String path, String json) {
        return api.send(api.request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void apiKeys_areListedWithoutTheKey_withTheirLastUse_andOnlyTheTenantsToATenantAdmin() {
        Api admin = sys.newTenant("admin");
        var created = admin.post("/admin/api-keys", "{\"role\":\"user\",\"name\":\"ci\"}").json();
        Api user = new Api(sys.server.baseUrl(), created.get("key").asText());
        assertThat(user.get("/browser/sessions").status()).isEqualTo(200);

        JsonNode keys = admin.get("/admin/api-keys").json().get("keys");
        assertThat(keys).hasSize(2);
        JsonNode ci = null;
        for (JsonNode k : keys) {
            assertThat(k.has("key")).isFalse();
            assertThat(k.toString()).doesNotContain(created.get("key").asText());
            if (k.get("id").asText().equals(created.get("id").asText())) {
                ci = k;
            }
        }
        assertThat(ci).isNotNull();
        assertThat(ci.get("name").asText()).isEqualTo("ci");
        assertThat(ci.get("role").asText()).isEqualTo("user");
        assertThat(ci.get("lastUsedAt").isNull()).isFalse();
        assertThat(user.get("/admin/api-keys").status()).isEqualTo(403);
        assertThat(sys.admin.get("/admin/api-keys").json().get("keys").size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void credentials_showTheirUsername_patchChangesOnlyWhatIsSent_andPutMustSayWhatBecomesOfTotp() {
        Api admin = sys.newTenant("admin");
        JsonNode c = admin.post("/browser/credentials", "{\"name\":\"Billing\",\"origins\":"
                + "[\"https://billing.example.com\"],\"username\":\"ops@example.com\",\"password\":\"pw-1234\","
                + "\"totpSecret\":\"JBSWY3DPEHPK3PXP\"}").json();
        assertThat(c.get("username").asText()).isEqualTo("ops@example.com");
        assertThat(c.get("kind").asText()).isEqualTo("login");
        String path = "/browser/credentials/" + c.get("id").asText();

        var renamed = patch(admin, path, "{\"name\":\"Billing portal\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Billing portal");
        assertThat(renamed.json().get("hasTotp").asBoolean()).isTrue();
        assertThat(renamed.json().get("username").asText()).isEqualTo("ops@example.com");

        var silentDrop = put(admin, path, "{\"username\":\"ops@example.com\",\"password\":\"pw-5678\"}");
        assertThat(silentDrop.status()).isEqualTo(400);
        assertThat(silentDrop.json().at("/error/field").asText()).isEqualTo("totpSecret");
        var dropped = put(admin, path, "{\"username\":\"ops@example.com\",\"password\":\"pw-5678\","
                + "\"totpSecret\":null}");
        assertThat(dropped.status()).isEqualTo(200);
        assertThat(dropped.json().get("hasTotp").asBoolean()).isFalse();
        assertThat(patch(admin, path, "{\"password\":\"\"}").status()).isEqualTo(400);
    }

    @Test
    void anApiKeyCredential_needsNoOriginsOrUsername() {
        Api admin = sys.newTenant("admin");
        var key = admin.post("/browser/credentials", "{\"kind\":\"api_key\",\"name\":\"Model API key\","
                + "\"password\":\"sk-test-0123456789\"}");
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().get("kind").asText()).isEqualTo("api_key");
        assertThat(key.json().get("origins")).isEmpty();
        assertThat(key.json().get("username").isNull()).isTrue();
        assertThat(key.body()).doesNotContain("sk-test");
        var login = admin.post("/browser/credentials", "{\"name\":\"x\",\"password\":\"pw-1234\"}");
        assertThat(login.status()).isEqualTo(400);
    }
}
