package dev.tabrunner.infrastructure;

import static dev.tabrunner.infrastructure.CfnTemplate.actions;
import static dev.tabrunner.infrastructure.CfnTemplate.joined;
import static dev.tabrunner.infrastructure.CfnTemplate.resourcesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * The language-model settings of agent tasks: which functions read them, and the Bedrock grant that only the worker
 * gets, only for {@code llmProvider=bedrock}, and never on {@code Resource: *}. (Without any {@code llm*} key, see
 * {@link ApiStackTest}.)
 */
class AgentTasksStackTest {

    // browsing-sync serves the tasks routes through its function URL, so it reads what the tasks function reads.
    private static final Set<String> READERS = Set.of("worker", "tasks", "browsing-sync");

    @Test
    void bedrock_inAnotherRegion_reachesWorkerAndTasks_andOnlyTheWorkerMayInvokeModelsThere(@TempDir Path dir) {
        CfnTemplate api = synthesize(dir, Map.of(
                "account", "111122223333",
                "region", "eu-west-1",
                "llmProvider", "Bedrock",
                "llmModel", "claude-sonnet-4-20250514",
                "llmRegion", "eu-central-1"));
        Map<String, String> functions = api.functionsByName("tabrunner-");

        functions.forEach((name, id) -> {
            Map<String, Object> llm = llmEnvironment(api, id);
            if (READERS.contains(name)) {
                assertThat(llm).as(name).isEqualTo(Map.of(
                        "TABRUNNER_LLM_PROVIDER", "bedrock",
                        "TABRUNNER_LLM_MODEL", "claude-sonnet-4-20250514",
                        "TABRUNNER_LLM_REGION", "eu-central-1"));
            } else {
                assertThat(llm).as(name).isEmpty();
            }
        });

        String profiles = "arn:aws:bedrock:eu-central-1:111122223333:inference-profile/*";
        List<Map<String, Object>> statements = bedrockStatements(api, functions.get("worker"));
        assertThat(statements).hasSize(2);
        // Direct calls and inference profiles, in the configured region of this account.
        Map<String, Object> direct = statements.stream().filter(s -> !s.containsKey("Condition")).findFirst()
                .orElseThrow();
        assertThat(actions(direct)).containsExactly("bedrock:InvokeModel");
        assertThat(arns(direct)).containsExactlyInAnyOrder(
                "arn:aws:bedrock:eu-central-1::foundation-model/*", profiles);
        // A profile's call lands on the model in any region of its geography, and only through such a profile.
        Map<String, Object> routed = statements.stream().filter(s -> s.containsKey("Condition")).findFirst()
                .orElseThrow();
        assertThat(actions(routed)).containsExactly("bedrock:InvokeModel");
        assertThat(arns(routed)).containsExactly("arn:aws:bedrock:*::foundation-model/*");
        assertThat(routed.get("Condition"))
                .isEqualTo(Map.of("ArnLike", Map.of("bedrock:InferenceProfileArn", profiles)));

        functions.forEach((name, id) -> {
            if (!name.equals("worker")) {
                assertThat(api.actionsOf(id)).as(name).noneMatch(action -> action.startsWith("bedrock:"));
            }
        });
        assertNoBedrockStatementOnEveryResource(api);
    }

    @Test
    void bedrock_withoutLlmRegion_usesTheStacksRegionAndAccount(@TempDir Path dir) {
        CfnTemplate api = synthesize(dir, Map.of("llmProvider", "bedrock"));
        Map<String, String> functions = api.functionsByName("tabrunner-");

        // The functions fall back to AWS_REGION, which Lambda sets to the stack's region.
        assertThat(llmEnvironment(api, functions.get("worker")))
                .isEqualTo(Map.of("TABRUNNER_LLM_PROVIDER", "bedrock"));
        Set<String> arns = new TreeSet<>();
        bedrockStatements(api, functions.get("worker")).forEach(statement -> arns.addAll(arns(statement)));
        assertThat(arns).containsExactlyInAnyOrder(
                "arn:{AWS::Partition}:bedrock:{AWS::Region}::foundation-model/*",
                "arn:{AWS::Partition}:bedrock:{AWS::Region}:{AWS::AccountId}:inference-profile/*",
                "arn:{AWS::Partition}:bedrock:*::foundation-model/*");
        assertNoBedrockStatementOnEveryResource(api);
    }

    @Test
    void openAiCompatible_reachesWorkerAndTasks_withTheKeysCredentialId_andGrantsNoBedrock(@TempDir Path dir) {
        CfnTemplate api = synthesize(dir, Map.of(
                "llmProvider", "openai",
                "llmBaseUrl", "https://llm.example/v1",
                "llmModel", "gpt-4.1",
                "llmApiKeyCredentialId", "cred_0123456789"));
        Map<String, String> functions = api.functionsByName("tabrunner-");

        functions.forEach((name, id) -> {
            Map<String, Object> llm = llmEnvironment(api, id);
            if (READERS.contains(name)) {
                assertThat(llm).as(name).isEqualTo(Map.of(
                        "TABRUNNER_LLM_PROVIDER", "openai",
                        "TABRUNNER_LLM_BASE_URL", "https://llm.example/v1",
                        "TABRUNNER_LLM_MODEL", "gpt-4.1",
                        "TABRUNNER_LLM_API_KEY_CREDENTIAL_ID", "cred_0123456789"));
            } else {
                assertThat(llm).as(name).isEmpty();
            }
            assertThat(api.actionsOf(id)).as(name).noneMatch(action -> action.startsWith("bedrock:"));
        });
        // The worker reads the key from the vault with the grants it already has.
        assertThat(api.actionsOf(functions.get("worker"))).contains("secretsmanager:GetSecretValue", "kms:Decrypt");
        assertThat(api.allIdentityStatements()).flatExtracting(CfnTemplate::actions)
                .noneMatch(action -> action.startsWith("bedrock:"));
    }

    private static CfnTemplate synthesize(Path dir, Map<String, Object> context) {
        return new CfnTemplate(Template.fromStack(TestApps.build(dir, context).api()));
    }

    private static Map<String, Object> llmEnvironment(CfnTemplate api, String functionId) {
        return api.environment(functionId).entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("TABRUNNER_LLM_"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static List<Map<String, Object>> bedrockStatements(CfnTemplate api, String functionId) {
        return api.statementsOf(functionId).stream()
                .filter(statement -> actions(statement).stream().anyMatch(action -> action.startsWith("bedrock:")))
                .toList();
    }

    private static List<String> arns(Map<String, Object> statement) {
        return resourcesOf(statement).stream().map(CfnTemplate::joined).toList();
    }

    private static void assertNoBedrockStatementOnEveryResource(CfnTemplate api) {
        api.allIdentityStatements().stream()
                .filter(statement -> actions(statement).stream().anyMatch(action -> action.startsWith("bedrock:")))
                .forEach(statement -> {
                    assertThat(actions(statement)).doesNotContain("bedrock:*", "*");
                    assertThat(resourcesOf(statement)).map(resource -> joined(resource)).doesNotContain("*");
                });
    }
}
