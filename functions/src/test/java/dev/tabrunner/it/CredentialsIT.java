package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.SecretMask;
import dev.tabrunner.json.Json;
import dev.tabrunner.local.LocalServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials API and the authenticate action; the attacks of issue 15 (a user key reading the vault password) each
 * reproduced against the whole system and now failing.
 */
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

    /** An admin key and a user key of one fresh tenant: the admin registers credentials, the user uses them. */
    private Api[] adminAndUser(Api operator) {
        String tenant = "c" + Long.toHexString(System.nanoTime());
        Api[] keys = new Api[2];
        String[] roles = {"admin", "user"};
        for (int i = 0; i < 2; i++) {
            var r = operator.post("/admin/api-keys", "{\"tenantId\":\"" + tenant + "\",\"role\":\"" + roles[i] + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            keys[i] = new Api(operator.base, r.json().get("key").asText());
        }
        return keys;
    }

    /** A user key of a tenant whose admin registered a credential, and a session of the user's. */
    private record UserWithCredential(Api user, String credential, String session) {
    }

    private UserWithCredential userWithCredential(String credentialBody) {
        Api[] keys = adminAndUser(sys.admin);
        var created = keys[0].post("/browser/credentials", credentialBody);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new UserWithCredential(keys[1], created.json().get("id").asText(), sys.newSession(keys[1]));
    }

    private static String vaultLogin(String cred, String selectors, String success) {
        return "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\""
                + (selectors == null ? "" : ",\"selectors\":" + selectors)
                + (success == null ? "" : ",\"success\":" + success) + "}";
    }

    private static String evaluate(String script) {
        return "{\"type\":\"evaluate\",\"script\":" + Json.mapper().valueToTree(script) + "}";
    }

    /** Every form of the password an attacker could turn it into, or a site could echo it in. */
    private static List<String> formsOf(String password) {
        List<String> forms = new ArrayList<>(List.of(password, password.toUpperCase(Locale.ROOT),
                String.join(" ", password.split("")), URLEncoder.encode(password, StandardCharsets.UTF_8),
                URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"),
                Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)),
                password.chars().mapToObj(Integer::toString).collect(Collectors.joining(",")),
                password.replace("&", "&amp;").replace("<", "&lt;")));
        return forms;
    }

    private static void assertNoFormOf(String password, String where, String text) {
        SecretMask mask = new SecretMask();
        mask.add(password, "[x]");
        assertThat(mask.reveals(text)).as(where + " holds an encoded form of the password: " + text).isFalse();
        for (String form : formsOf(password)) {
            assertThat(text).as(where).doesNotContain(form);
        }
    }

    private String collected(String key) {
        return Api.plain(sys.url("/collected?k=" + key));
    }

    @Test
    void evaluateAfterAuthenticate_cannotReadThePassword_inAnyEncoding() {
        UserWithCredential u = userWithCredential(credentialBody(origin(), CANARY));
        Api user = u.user();
        String cred = u.credential();
        String session = u.session();
        // the submit button is the username field: the form stays filled on the login page
        var r = user.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                + vaultLogin(cred, "{\"username\":\"#username\",\"password\":\"#password\","
                + "\"submit\":\"#username\"}", "{\"condition\":\"selector\",\"value\":\"#password\"}") + ","
                + evaluate("document.querySelector('input[type=password]').value.split('').join(' ')") + ","
                + evaluate("[...document.querySelector('input[type=password]').value].map(c => c.charCodeAt(0))"
                + ".join(',')") + ","
                + evaluate("btoa(document.querySelector('input[type=password]').value)") + ","
                + evaluate("document.querySelector('input[type=password]').value.toUpperCase()") + ","
                + evaluate("document.querySelector('input[type=password]').value.length") + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/results/0/success").asBoolean()).isTrue();
        assertThat(r.json().at("/results/5/value").asInt()).as("the task's page never held the password").isZero();
        assertNoFormOf(CANARY, "the task", r.body());
    }

    @Test
    void aListenerInstalledBeforeAuthenticate_receivesNothing() {
        UserWithCredential u = userWithCredential(credentialBody(origin(), CANARY));
        Api user = u.user();
        String cred = u.credential();
        String session = u.session();
        String key = "beacon-" + System.nanoTime();
        String spy = "(() => { const send = v => navigator.sendBeacon('/collect?k=" + key + "', v);"
                + " for (const t of ['input', 'change', 'keydown', 'keyup']) document.addEventListener(t,"
                + " e => send(String(e.target.value) + ' ' + e.key), true);"
                + " setInterval(() => send([...document.querySelectorAll('input')].map(i => i.value).join('|')),"
                + " 25); return 'armed'; })()";
        var r = user.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                + evaluate(spy) + "," + vaultLogin(cred, "{\"username\":\"#username\",\"password\":\"#password\","
                + "\"submit\":\"#login\"}", "{\"condition\":\"selector\",\"value\":\"#welcome\"}") + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/results/1/success").asBoolean()).isTrue();
        assertNoFormOf(CANARY, "what the listener's server received", collected(key));
        assertNoFormOf(CANARY, "the task", r.body());
    }

    @Test
    void aLoginFormThatSubmitsByGet_leavesNoFormOfThePasswordAnywhere() throws Exception {
        String password = "Get Pw&x<9!";
        UserWithCredential u = userWithCredential("{\"name\":\"GET form\",\"origins\":[\"" + origin()
                + "\"],\"username\":\"grace\",\"password\":" + Json.mapper().valueToTree(password) + "}");
        Api user = u.user();
        String cred = u.credential();
        String session = u.session();
        var r = user.runTask(session, "{\"url\":\"" + sys.url("/get-login.html") + "\",\"content\":true,"
                + "\"actions\":[" + vaultLogin(cred, null, "{\"condition\":\"selector\",\"value\":\"#done\"}")
                + "," + evaluate("[location.href, document.title, document.body.innerHTML]") + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode task = r.json();
        assertThat(task.get("url").asText()).isEqualTo(sys.url("/get-login-done"));
        assertThat(task.at("/results/1/value/0").asText()).isEqualTo(sys.url("/get-login-done"));
        assertThat(task.toString()).contains("[REDACTED]");
        List<String> seen = new ArrayList<>(List.of(r.body(),
                user.get("/browser/sessions/" + session).body(),
                user.get("/browser/sessions").body(),
                user.get("/browser/sessions/" + session + "/tasks?limit=100").body(),
                user.get("/browser/sessions/" + session + "/tasks/" + task.get("taskId").asText()).body()));
        for (JsonNode a : task.get("artifacts")) {
            seen.add(user.get(a.get("downloadUrl").asText()).body());
        }
        assertThat(seen).anyMatch(b -> b.contains("Logged in"));
        for (String body : seen) {
            assertNoFormOf(password, "a response", body);
        }
        assertThat(task.at("/network").toString()).contains("/get-login-done");
    }

    @Test
    void aPageThatLeavesForAnotherOriginOnTheFirstKeystroke_is422_andThePasswordGoesNowhere() {
        UserWithCredential u = userWithCredential(credentialBody(origin(), CANARY));
        Api user = u.user();
        String cred = u.credential();
        String session = u.session();
        String key = "replace-" + System.nanoTime();
        String evil = origin().replace("127.0.0.1", "localhost") + "/collect?k=" + key;
        var r = user.runTask(session, "{\"url\":\"" + sys.url("/replace-login.html?to="
                + URLEncoder.encode(evil, StandardCharsets.UTF_8)) + "\",\"actions\":["
                + vaultLogin(cred, "{\"username\":\"#username\",\"password\":\"#password\"}", null) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("domain_mismatch");
        assertThat(collected(key)).as("the other origin was never reached").isEmpty();
        assertNoFormOf(CANARY, "the task", r.body());
    }

    @Test
    void aPopupSettingOpenerLocationMidLogin_neverGetsThePassword() {
        UserWithCredential u = userWithCredential(credentialBody(origin(), CANARY));
        Api user = u.user();
        String cred = u.credential();
        String key = "opener-" + System.nanoTime();
        String evil = origin().replace("127.0.0.1", "localhost") + "/collect?k=" + key;
        for (int run = 0; run < 8; run++) {
            String session = sys.newSession(user);
            // the popup starts moving its opener mid-login: 200 to 900 ms after the login began
            String popup = sys.url("/opener-attack.html?after=" + (200 + run * 100) + "&to="
                    + URLEncoder.encode(evil, StandardCharsets.UTF_8));
            var r = user.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                    + evaluate("window.open('" + popup + "') ? 1 : 0") + ","
                    + vaultLogin(cred, "{\"username\":\"#username\",\"password\":\"#password\","
                    + "\"submit\":\"#login\"}", "{\"condition\":\"selector\",\"value\":\"#welcome\"}") + "]}");
            // the login page is out of the popup's reach; the task's own page is not, so the task may fail when
            // its page is elsewhere as the login starts or is moved again as it goes to the logged-in page
            assertThat(r.status()).as(r.body()).isIn(201, 403, 422);
            assertNoFormOf(CANARY, "the task", r.body());
        }
        assertNoFormOf(CANARY, "what the other origin received", collected(key));
        assertNoFormOf("grace", "what the other origin received", collected(key));
    }

    @Test
    void aTwoStepFormWhoseNextGoesToAnotherOrigin_isRefused_andTheUsernameIsNotSent() {
        UserWithCredential u = userWithCredential(credentialBody(origin(), "grace@example.com", CANARY));
        Api user = u.user();
        String cred = u.credential();
        String session = u.session();
        String key = "next-" + System.nanoTime();
        String evil = origin().replace("127.0.0.1", "localhost") + "/collect?k=" + key;
        var r = user.runTask(session, "{\"url\":\"" + sys.url("/two-step-foreign.html?to="
                + URLEncoder.encode(evil, StandardCharsets.UTF_8)) + "\",\"actions\":["
                + vaultLogin(cred, null, null) + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("domain_mismatch");
        assertThat(collected(key)).as("nothing was sent to the other origin, not even the username").isEmpty();
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
            assertThat(r.body()).doesNotContain(CANARY);
        }
        // the username is metadata admins see (issue 17); the password never shows, nor is it echoed on a refusal
        assertThat(reads.get(0).json().at("/credentials/0/username").asText()).isEqualTo("grace");
        assertThat(reads.get(2).body()).doesNotContain("grace");
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
            // a user key of the same tenant (the operator's) may use the credential: it must learn no more
            var userKey = admin.post("/admin/api-keys", "{\"tenantId\":\"default\",\"role\":\"user\"}");
            assertThat(userKey.status()).as(userKey.body()).isEqualTo(201);
            Api user = new Api(server.baseUrl(), userKey.json().get("key").asText());
            for (Api caller : List.of(admin, user)) {
                String session = sys.newSession(caller);
                for (String mode : List.of("vault", "vault_then_prompt", "prompt_user")) {
                    var r = caller.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                            + "{\"type\":\"authenticate\",\"mode\":\"" + mode + "\","
                            + ("prompt_user".equals(mode) ? "\"pauseTimeoutMs\":1000," : "\"credentialId\":\""
                            + cred + "\",\"pauseTimeoutMs\":1000,")
                            + "\"selectors\":{\"username\":\"#username\",\"password\":\"#password\"},"
                            + "\"success\":{\"condition\":\"selector\",\"value\":\"#welcome\","
                            + "\"timeoutMs\":3000}}]}");
                    bodies.add(r.body());
                    bodies.add(caller.get("/browser/sessions/" + session).body());
                }
            }
            String session = sys.newSession(user);
            // the password was typed in the login's own context: the task's page never held it, so reading the
            // field back yields nothing (no redaction needed)
            var read = user.runTask(session, "{\"url\":\"" + sys.url("/login.html") + "\",\"actions\":["
                    + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":\"" + cred + "\","
                    + "\"selectors\":{\"username\":\"#username\",\"password\":\"#password\",\"submit\":\"#username\"},"
                    + "\"success\":{\"condition\":\"selector\",\"value\":\"#password\"}},"
                    + "{\"type\":\"evaluate\",\"script\":\"[document.querySelector('#password').value,"
                    + " 'pw=' + document.querySelector('#password').value]\"}],\"content\":true,\"screenshot\":{}}");
            assertThat(read.status()).as(read.body()).isEqualTo(201);
            assertThat(read.json().at("/results/1/value").toString()).isEqualTo("[\"\",\"pw=\"]");
            bodies.add(read.body());
            var failing = user.runTask(session, "{\"actions\":[{\"type\":\"evaluate\",\"script\":"
                    + "\"(() => { throw new Error('leak ' + document.querySelector('#password').value); })()\"}]}");
            bodies.add(failing.body());
            bodies.add(user.get("/browser/sessions/" + session + "/tasks?limit=100").body());
            bodies.add(user.get("/browser/sessions").body());
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
