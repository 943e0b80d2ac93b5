package dev.tabrunner.it;

import dev.tabrunner.local.LocalServer;
import dev.tabrunner.testing.FixtureServer;
import dev.tabrunner.testing.ScriptedModelServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole local system (API, DynamoDB Local, worker, Chromium) plus the fixture site, started once per test JVM
 * and shared by the integration tests, which is what keeps the suite fast. Tests that need their own
 * configuration start their own with {@link #startServer}.
 */
final class TestSystem {
    static final String ADMIN_KEY = "test-admin-key-0123456789";
    private static TestSystem shared;

    final LocalServer server;
    final FixtureServer fixtures;
    final Api admin;

    private TestSystem(LocalServer server, FixtureServer fixtures) {
        this.server = server;
        this.fixtures = fixtures;
        this.admin = new Api(server.baseUrl(), ADMIN_KEY);
    }

    static synchronized TestSystem get() {
        if (shared == null) {
            FixtureServer fixtures = FixtureServer.start();
            LocalServer server = startServer(tempDir(), Map.of());
            shared = new TestSystem(server, fixtures);
            // Nothing to close at exit: closing Playwright from a shutdown hook races its own shutdown and hangs the
            // JVM; the driver ends its browsers when its pipe to this JVM closes, and the data dir is a temp dir.
            Runtime.getRuntime().addShutdownHook(new Thread(fixtures::close));
        }
        return shared;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("tabrunner-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalServer startServer(Path dataDir, Map<String, String> overrides) {
        return startServer(dataDir, overrides, java.time.Clock.systemUTC());
    }

    /** A server of its own, reading the time from {@code clock}. */
    static LocalServer startServer(Path dataDir, Map<String, String> overrides, java.time.Clock clock) {
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_DATA_DIR", dataDir.toString());
        env.put("TABRUNNER_PORT", "-1");
        env.put("TABRUNNER_ADMIN_KEY", ADMIN_KEY);
        env.put("TABRUNNER_ACTION_TIMEOUT_MS", "5000");
        env.put("TABRUNNER_MAX_UPLOAD_BYTES", "1048576");
        // the fixture site is on loopback, which the egress guard refuses unless allowed
        env.put("TABRUNNER_EGRESS_ALLOW", "127.0.0.1,localhost");
        env.putAll(overrides);
        return LocalServer.start(env, clock);
    }

    /** The settings that point a server's agent tasks at a scripted model, failing fast when it does not answer. */
    static Map<String, String> scriptedModel(ScriptedModelServer model) {
        Map<String, String> env = new HashMap<>();
        env.put("TABRUNNER_LLM_BASE_URL", model.baseUrl());
        env.put("TABRUNNER_LLM_API_KEY", "sk-scripted");
        env.put("TABRUNNER_LLM_MAX_ATTEMPTS", "1");
        return env;
    }

    /** A user key of a fresh tenant of a server of its own, so that tests never see each other's objects. */
    static Api newTenant(LocalServer on) {
        var r = new Api(on.baseUrl(), ADMIN_KEY).post("/admin/api-keys", "{\"tenantId\":\"t"
                + Long.toHexString(System.nanoTime()) + "\",\"role\":\"user\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("could not create a key: " + r.body());
        }
        return new Api(on.baseUrl(), r.json().get("key").asText());
    }

    String url(String path) {
        return fixtures.url(path);
    }

    /** A key of a fresh tenant, so that tests never see each other's objects. */
    Api newTenant(String role) {
        String tenant = "t" + Long.toHexString(System.nanoTime());
        var r = admin.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"" + role + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("could not create a key: " + r.body());
        }
        return new Api(server.baseUrl(), r.json().get("key").asText());
    }

    /** A key of a fresh tenant on a server of the test's own, issued by that server's operator key. */
    static Api newTenant(Api operator, String role) {
        String tenant = "t" + Long.toHexString(System.nanoTime());
        var r = operator.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"" + role + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("could not create a key: " + r.body());
        }
        return new Api(operator.base, r.json().get("key").asText());
    }

    String newSession(Api api) {
        return openSession(api);
    }

    /** A new session of the key's tenant, on whichever server the key belongs to. */
    static String openSession(Api api) {
        var r = api.post("/browser/sessions", "{}");
        if (r.status() != 201) {
            throw new IllegalStateException("could not create a session: " + r.body());
        }
        return r.json().get("id").asText();
    }
}
