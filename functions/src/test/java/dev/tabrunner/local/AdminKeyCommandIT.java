package dev.tabrunner.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./tabrunner admin-key --rotate}: a lost local admin key is replaced, the old one stops working. */
class AdminKeyCommandIT {
    private static int status(LocalServer server, String key) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl() + "/admin/api-keys")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    @Test
    void rotate_issuesANewAdminKey_revokesTheOld_andRefusesWhileTheServerRuns() throws Exception {
        Path dataDir = Files.createTempDirectory("tabrunner-rotate");
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_DATA_DIR", dataDir.toString());
        env.put("TABRUNNER_PORT", "-1");

        String old;
        try (LocalServer server = LocalServer.start(env)) {
            old = server.adminKey();
            assertThat(status(server, old)).isEqualTo(200);
            assertThatThrownBy(() -> AdminKeyCommand.rotate(env)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stop it first");
        }

        String fresh = AdminKeyCommand.rotate(env);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(Files.readString(dataDir.resolve("admin-key"), StandardCharsets.UTF_8).trim()).isEqualTo(fresh);

        try (LocalServer server = LocalServer.start(env)) {
            assertThat(server.adminKey()).isEqualTo(fresh);
            assertThat(status(server, fresh)).isEqualTo(200);
            assertThat(status(server, old)).isEqualTo(401);
        }
        Map<String, String> withEnvKey = new HashMap<>(env);
        withEnvKey.put("TABRUNNER_ADMIN_KEY", "chosen-by-the-operator");
        assertThatThrownBy(() -> AdminKeyCommand.rotate(withEnvKey)).hasMessageContaining("TABRUNNER_ADMIN_KEY");
    }
}
