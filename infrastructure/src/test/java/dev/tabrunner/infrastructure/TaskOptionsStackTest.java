package dev.tabrunner.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * Browsing nodes, the operator's proxies and the recording cap reach the functions of a deployment; a proxy only as
 * the id of its vault credential, never its URL (which holds the proxy's password).
 */
class TaskOptionsStackTest {
    private static final Set<String> NAMES = Set.of("TABRUNNER_BROWSING_NODES",
            "TABRUNNER_PROXY_US_CREDENTIAL_ID", "TABRUNNER_PROXY_DE_CREDENTIAL_ID", "TABRUNNER_PROXY_STRICT",
            "TABRUNNER_RECORDING_MAX_BYTES");

    @Test
    void theOptions_reachTheWorkerAndTheTaskFunctions_asVariables(@TempDir Path dir) {
        CfnTemplate api = synthesize(dir, Map.of(
                "browsingNodes", "de-1:DE:proxy,us-1:US",
                "proxyCredentials", "us=cred_us01, DE=cred_de01",
                "proxyStrict", "true",
                "recordingMaxBytes", "8388608"));
        Map<String, String> functions = api.functionsByName("tabrunner-");
        for (String name : List.of("worker", "tasks", "browsing-sync", "sessions")) {
            assertThat(options(api, functions.get(name))).as(name).isEqualTo(Map.of(
                    "TABRUNNER_BROWSING_NODES", "de-1:DE:proxy,us-1:US",
                    "TABRUNNER_PROXY_US_CREDENTIAL_ID", "cred_us01",
                    "TABRUNNER_PROXY_DE_CREDENTIAL_ID", "cred_de01",
                    "TABRUNNER_PROXY_STRICT", "true",
                    "TABRUNNER_RECORDING_MAX_BYTES", "8388608"));
        }
        // the URL with the proxy's password is nowhere in the template; the worker reads it from the vault
        functions.values().forEach(id -> assertThat(api.environment(id).keySet())
                .noneMatch(k -> k.matches("TABRUNNER_PROXY_[A-Z]{2}")));
        assertThat(api.actionsOf(functions.get("worker"))).contains("secretsmanager:GetSecretValue");
    }

    @Test
    void withoutOptions_noVariable_soTheFunctionsKeepTheirDefaults(@TempDir Path dir) {
        CfnTemplate api = synthesize(dir, Map.of());
        api.functionsByName("tabrunner-").forEach((name, id) -> assertThat(options(api, id)).as(name).isEmpty());
    }

    @Test
    void malformedOptions_failTheSynth() {
        assertThatThrownBy(() -> TaskOptions.proxyCredentials("us"))
                .hasMessageContaining("country=credentialId");
        assertThatThrownBy(() -> TaskOptions.proxyCredentials("us=a,us=b")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new TaskOptions("", Map.of("xx", "cred"), "", ""))
                .hasMessageContaining("'xx' is not one of");
        assertThatThrownBy(() -> new TaskOptions("", Map.of("us", "http://u:p@proxy:8080"), "", ""))
                .hasMessageContaining("credential id");
        assertThatThrownBy(() -> new TaskOptions("", Map.of(), "maybe", "")).hasMessageContaining("proxyStrict");
        assertThatThrownBy(() -> new TaskOptions("", Map.of(), "", "lots")).hasMessageContaining("number of bytes");
        assertThatThrownBy(() -> new TaskOptions("a;b", Map.of(), "", "")).hasMessageContaining("browsingNodes");
    }

    private static CfnTemplate synthesize(Path dir, Map<String, Object> context) {
        return new CfnTemplate(Template.fromStack(TestApps.build(dir, context).api()));
    }

    private static Map<String, Object> options(CfnTemplate api, String functionId) {
        return api.environment(functionId).entrySet().stream().filter(e -> NAMES.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
