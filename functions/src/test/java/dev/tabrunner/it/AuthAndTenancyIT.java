package dev.tabrunner.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAndTenancyIT {
    private final TestSystem sys = TestSystem.get();

    @Test
    void health_answersWithoutKey() {
        var r = new Api(sys.server.baseUrl(), null).get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void missingKey_isRefusedWith401AndJsonBody() {
        var r = new Api(sys.server.baseUrl(), null).get("/browser/sessions");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void wrongKey_isRefusedWith401() {
        var r = new Api(sys.server.baseUrl(), "trk_0123456789abcdef_" + "A".repeat(43)).get("/browser/sessions");
        assertThat(r.status()).isEqualTo(401);
        assertThat(new Api(sys.server.baseUrl(), "nonsense").get("/browser/sessions").status()).isEqualTo(401);
    }

    @Test
    void adminIssuesKey_returnedOnce_andItWorks() {
        var created = sys.admin.post("/admin/api-keys", "{\"role\":\"user\",\"name\":\"ci\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("key").asText()).startsWith("trk_");
        assertThat(created.json().get("role").asText()).isEqualTo("user");
        var user = new Api(sys.server.baseUrl(), created.json().get("key").asText());
        assertThat(user.get("/browser/sessions").status()).isEqualTo(200);
    }

    @Test
    void userKey_cannotManageKeys() {
        Api user = sys.newTenant("user");
        assertThat(user.post("/admin/api-keys", "{\"role\":\"user\"}").status()).isEqualTo(403);
        assertThat(user.delete("/admin/api-keys/0123456789abcdef").status()).isEqualTo(403);
    }

    @Test
    void revokedKey_stopsWorkingAtOnce() {
        var created = sys.admin.post("/admin/api-keys", "{\"role\":\"user\"}");
        var user = new Api(sys.server.baseUrl(), created.json().get("key").asText());
        assertThat(user.get("/browser/sessions").status()).isEqualTo(200);
        var revoked = sys.admin.delete("/admin/api-keys/" + created.json().get("id").asText());
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(user.get("/browser/sessions").status()).isEqualTo(401);
    }

    @Test
    void tenantAdmin_cannotRevokeAnotherTenantsKey_orIssueKeysForIt() {
        Api tenantAdmin = sys.newTenant("admin");
        var operatorKey = sys.admin.post("/admin/api-keys", "{\"role\":\"user\"}");
        assertThat(tenantAdmin.delete("/admin/api-keys/" + operatorKey.json().get("id").asText()).status())
                .isEqualTo(404);
        assertThat(tenantAdmin.post("/admin/api-keys", "{\"tenantId\":\"someone-else\"}").status()).isEqualTo(403);
    }

    @Test
    void anotherTenantsObjects_answer404_exactlyLikeUnknownIds() {
        Api alice = sys.newTenant("user");
        Api bob = sys.newTenant("user");
        String session = sys.newSession(alice);
        var task = alice.runTask(session, "{\"url\":\"" + sys.url("/index.html") + "\"}");
        assertThat(task.status()).isEqualTo(201);
        String taskId = task.json().get("taskId").asText();
        assertThat(alice.uploadMultipart(session, "a.txt", "text/plain", "hi".getBytes()).status()).isEqualTo(201);

        var unknown = bob.get("/browser/sessions/00000000-0000-0000-0000-000000000000");
        var foreign = bob.get("/browser/sessions/" + session);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().at("/error/code")).isEqualTo(unknown.json().at("/error/code"));
        assertThat(bob.get("/browser/sessions/" + session + "/tasks/" + taskId).status()).isEqualTo(404);
        assertThat(bob.get("/browser/sessions/" + session + "/tasks").status()).isEqualTo(404);
        assertThat(bob.get("/browser/sessions/" + session + "/files").status()).isEqualTo(404);
        assertThat(bob.runTask(session, "{}").status()).isEqualTo(404);
        assertThat(bob.uploadMultipart(session, "b.txt", "text/plain", "x".getBytes()).status()).isEqualTo(404);
        assertThat(bob.delete("/browser/sessions/" + session).status()).isEqualTo(404);
        assertThat(bob.get("/browser/sessions").json().get("sessions")).isEmpty();
        assertThat(alice.get("/browser/sessions/" + session).json().get("status").asText()).isEqualTo("active");
    }
}
