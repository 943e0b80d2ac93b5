package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.local.LocalServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials API and the authenticate action in vault mode. */
class CredentialsIT {
    private static final String CANARY = "Canary-Pw-4b1d9e";
    private static final String CANARY_TOTP = "JBSWY3DPEHPK3PXPCANARYAA";

    private final TestSystem sys = TestSystem.get();

    private String origin() {
        return sys.url("").replaceAll("/$", "");
    }

    private static String credentialBody(String origin, String password) {
        return credentialBody(origin, "grace", password);
    }

    private static String credentialBody(String origin, String username, String password) {
        return "{\"name\":\"Fixture site\",\"origins\":[\"" + origin + "\"],\"username\":\"" + username
                + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void credentialsApi_isAdminOnly_andNeverReturnsSecrets() {
        Api admin = sys.newTenant("admin");
        var created = admin.post("/browser/credentials", credentialBody(origin(), CANARY));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode c = created.json();
        String id = c.get("id").asText();
        assertThat(c.get("origins").get(0).asText()).isEqualTo(origin());
        assertThat(c.get("hasTotp").asBoolean()).isFalse();
        assertThat(c.get("name").asText()).isEqualTo("Fixture site");

        List<Api.Response> reads = List.of(admin.get("/browser/credentials"), admin.get("/browser/credentials/" + id),
                admin.post("/browser/credentials", "{\"name\":\"x\",\"password\": " + CANARY + "}"));
        for (Api.Response r : reads) {
            assertThat(r.body()).doesNotContain(CANARY).doesNotContain("grace");
        }
        assertThat(reads.get(2).status()).isEqualTo(400);

        Api user = sys.newTenant("user");
        assertThat(user.get("/browser/credentials").status()).isEqualTo(403);
        assertThat(user.post("/browser/credentials", credentialBody(origin(), "x")).status()).isEqualTo(403);
        Api otherAdmin = sys.newTenant("admin");
        assertThat(otherAdmin.get("/browser/credentials/" + id).status()).isEqualTo(404);
        assertThat(otherAdmin.get("/browser/credentials").json().get("credentials")).isEmpty();

        assertThat(admin.post("/browser/credentials", credentialBody("https://example.com/path", "x")).status())
                .isEqualTo(400);
        assertThat(admin.post("/browser/credentials", "{\"name\":\"t\",\"origins\":[\"https://a.example.com\"],"
                + "\"username\":\"u\",\"password\":\"p\",\"totpSecret\":\"not base32!\"}").status()).isEqualTo(400);
    }

    @Test
    void vaultLogin_fillsAndSubmits_andTheSessionStaysLoggedIn() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", credentialBody(origin(), CANARY)).json().get("id").asText();
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                + "\"selectors\":{\"username\":\"#username\",\"password\":\"#password\",\"submit\":\"#login\"},"
                + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/results/0/success").asBoolean()).isTrue();
        assertThat(r.json().at("/results/0/reason").asText()).isEqualTo("logged_in");
        var check = admin.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                + "\"document.querySelector('#welcome').textContent\"}]}");
        assertThat(check.json().at("/results/0/value").asText()).isEqualTo("Welcome, grace");
    }

    @Test
    void vaultLogin_findsFieldsItself_throughConsentBannerAndTwoSteps() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", credentialBody(origin(), "grace@example.com", CANARY))
                .json().get("id").asText();
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/two-step.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                + "\"success\":{\"condition\":\"url\",\"value\":\"/account.html\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("url").asText()).contains("/account.html?u=grace%40example.com");
    }

    @Test
    void wrongOrigins_refuseWith422_domainMismatch_andTypeNothing() {
        Api admin = sys.newTenant("admin");
        int port = Integer.parseInt(origin().substring(origin().lastIndexOf(':') + 1));
        List<String> foreignOrigins = List.of("http://127.0.0.1.evil.io:" + port, "https://127.0.0.1:" + port,
                "http://localhost:" + port);
        for (String foreign : foreignOrigins) {
            String cred = admin.post("/browser/credentials", credentialBody(foreign, CANARY)).json().get("id").asText();
            String session = sys.newSession(admin);
            var r = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                    + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\"}]}");
            assertThat(r.status()).as(foreign + ": " + r.body()).isEqualTo(422);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("domain_mismatch");
            var typed = admin.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                    + "\"[document.querySelector('#username').value, document.querySelector('#password').value]\"}]}");
            assertThat(typed.json().at("/results/0/value").toString()).isEqualTo("[\"\",\"\"]");
        }
    }

    @Test
    void loginFormInACrossOriginIframe_isRefused() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", credentialBody(origin(), CANARY)).json().get("id").asText();
        String other = origin().replace("127.0.0.1", "localhost");
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/framed-login.html?other=" + other) + "\","
                + "\"actions\":[{\"type\":\"wait\",\"selector\":\"#frame\"},{\"type\":\"authenticate\","
                + "\"mode\":\"vault\",\"credentialId\":\"" + cred + "\",\"timeoutMs\":5000}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("domain_mismatch");
    }

    @Test
    void unknownOrDeletedCredential_is404_andReplacedSecretIsUsed() {
        Api admin = sys.newTenant("admin");
        String session = sys.newSession(admin);
        String unknown = "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":[{\"type\":\"authenticate\","
                + "\"mode\":\"vault\",\"credentialId\":\"00000000-0000-0000-0000-000000000000\"}]}";
        assertThat(admin.runTask(session, unknown).status()).isEqualTo(404);

        String cred = admin.post("/browser/credentials", credentialBody(origin(), "old-password")).json().get("id")
                .asText();
        var replaced = admin.send(admin.request("/browser/credentials/" + cred).header("Content-Type",
                "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"hopper\",\"password\":\"new-password\"}")).build());
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        String task = "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":[{\"type\":\"authenticate\","
                + "\"mode\":\"vault\",\"credentialId\":\"" + cred + "\",\"success\":{\"condition\":\"text\","
                + "\"value\":\"Welcome, hopper\"}}]}";
        assertThat(admin.runTask(session, task).status()).isEqualTo(201);

        assertThat(admin.delete("/browser/credentials/" + cred).status()).isEqualTo(204);
        var gone = admin.runTask(session, task);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/code").asText()).isEqualTo("credential_not_found");
    }

    @Test
    void totpCredential_typesAFreshSixDigitCode() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", "{\"name\":\"otp\",\"origins\":[\"" + origin()
                + "\"],\"username\":\"grace\",\"password\":\"pw\",\"totpSecret\":\"JBSWY3DPEHPK3PXP\"}")
                .json().get("id").asText();
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/totp-login.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                + "\"success\":{\"condition\":\"url\",\"value\":\"/account.html\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("url").asText()).endsWith("/account.html?otp=six-digits");
    }

    @Test
    void vaultThenPrompt_handsOverToThePersonWhenTheVaultLoginFails() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", credentialBody(origin(), CANARY)).json().get("id").asText();
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"vault_then_prompt\",\"credentialId\":\"" + cred
                + "\",\"pauseTimeoutMs\":1000,\"success\":{\"condition\":\"text\",\"value\":\"Welcome, someone else\","
                + "\"timeoutMs\":500}}]}");
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.json().at("/error/message").asText()).contains("live view");
    }

    @Test
    void successConditionNeverMet_is408() {
        Api admin = sys.newTenant("admin");
        String cred = admin.post("/browser/credentials", credentialBody(origin(), CANARY)).json().get("id").asText();
        String session = sys.newSession(admin);
        var r = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                + "\"success\":{\"condition\":\"selector\",\"value\":\"#never\",\"timeoutMs\":500}}]}");
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("success_condition_not_met");
    }

    @Test
    void canaryPasswordAndTotpSecret_appearNowhere() throws IOException {
        Path data = TestSystem.tempDir();
        List<String> bodies = new ArrayList<>();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.ALL);
        try (LocalServer server = TestSystem.startServer(data, Map.of())) {
            Api admin = new Api(server.baseUrl(), TestSystem.ADMIN_KEY);
            var created = admin.post("/browser/credentials", "{\"name\":\"Canary\",\"origins\":[\"" + origin()
                    + "\"],\"username\":\"grace\",\"password\":\"" + CANARY + "\",\"totpSecret\":\"" + CANARY_TOTP
                    + "\"}");
            bodies.add(created.body());
            String cred = created.json().get("id").asText();
            String session = sys.newSession(admin);
            for (String mode : List.of("vault", "vault_then_prompt", "prompt_user")) {
                var r = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                        + "{\"type\":\"authenticate\",\"mode\":\"" + mode + "\","
                        + ("prompt_user".equals(mode) ? "\"pauseTimeoutMs\":1000," : "\"credentialId\":\"" + cred
                        + "\",\"pauseTimeoutMs\":1000,")
                        + "\"selectors\":{\"username\":\"#username\",\"password\":\"#password\"},"
                        + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\",\"timeoutMs\":3000}}]}");
                bodies.add(r.body());
            }
            // the password is in the field after the fill: reading it back must yield the redaction marker
            var read = admin.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                    + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                    + "\"selectors\":{\"username\":\"#username\",\"password\":\"#password\",\"submit\":\"#username\"},"
                    + "\"success\":{\"condition\":\"selector\",\"value\":\"#password\"}},"
                    + "{\"type\":\"evaluate\",\"script\":\"[document.querySelector('#password').value,"
                    + " 'pw=' + document.querySelector('#password').value]\"}],\"content\":true,\"screenshot\":{}}");
            assertThat(read.status()).as(read.body()).isEqualTo(201);
            assertThat(read.json().at("/results/1/value").toString())
                    .isEqualTo("[\"[REDACTED]\",\"pw=[REDACTED]\"]");
            bodies.add(read.body());
            var failing = admin.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                    + "\"(() => { throw new Error('leak ' + document.querySelector('#password').value); })()\"}]}");
            bodies.add(failing.body());
            bodies.add(admin.get("/browser/sessions/" + session + "/tasks?limit=100").body());
            bodies.add(admin.get("/browser/credentials").body());
        } finally {
            root.setLevel(level);
            root.detachAppender(logs);
        }
        assertThat(logs.list).hasSizeGreaterThan(100);
        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).doesNotContain(CANARY).doesNotContain(CANARY_TOTP);
        }
        for (String body : bodies) {
            assertThat(body).doesNotContain(CANARY).doesNotContain(CANARY_TOTP);
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(content).as(f.toString()).doesNotContain(CANARY).doesNotContain(CANARY_TOTP);
            }
        }
    }
}
