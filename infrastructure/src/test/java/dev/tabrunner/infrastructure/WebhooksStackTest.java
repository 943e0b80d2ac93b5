package dev.tabrunner.infrastructure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tabrunner.infrastructure.CfnTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook deliveries on AWS, as synthesized: the queue every task writer sends to, the function consuming it, and
 * the least privilege around them.
 */
class WebhooksStackTest {
    @TempDir
    static Path workDirectory;

    private static CfnTemplate api;
    private static Map<String, String> functions;
    private static String queueId;

    @BeforeAll
    static void synthesize() {
        TabrunnerApp.Stacks stacks = TestApps.build(workDirectory, Map.of());
        api = new CfnTemplate(Template.fromStack(stacks.api()));
        functions = api.functionsByName("tabrunner-");
        queueId = api.resources("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> e.getKey().startsWith("WebhooksDeliveries") && !e.getKey().contains("Unprocessable"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    @Test
    void theWebhookFunction_consumesTheDeliveryQueue_inBatches_withTheApiJar() {
        Map<String, Object> mapping = api.resources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(m -> map(m.get("Properties")))
                .filter(m -> functions.get("webhooks").equals(CfnTemplate.ref(m.get("FunctionName"))))
                .findFirst().orElseThrow();
        assertThat(CfnTemplate.getAtt(mapping.get("EventSourceArn"))).isEqualTo(queueId);
        assertThat(mapping).containsEntry("BatchSize", 10);
        Map<String, Object> function = api.properties(functions.get("webhooks"));
        assertThat(function).containsEntry("Handler", "dev.tabrunner.aws.WebhookHandler::handleRequest")
                .containsEntry("Runtime", "java21");
        int visibility = ((Number) api.properties(queueId).get("VisibilityTimeout")).intValue();
        assertThat(visibility).isGreaterThan(((Number) function.get("Timeout")).intValue());
        assertThat(api.properties(queueId)).containsKey("RedrivePolicy").containsKey("SqsManagedSseEnabled");
        assertThat(api.environment(functions.get("webhooks"))).containsKey("TABRUNNER_WEBHOOK_QUEUE_URL")
                .containsEntry("TABRUNNER_EGRESS_ALLOW", "");
    }

    @Test
    void everyFunctionThatWritesTasks_mayQueueDeliveries_andKnowsTheQueue() {
        for (String name : List.of("worker", "tasks", "dead-letter", "recovery", "webhooks")) {
            assertThat(api.actionsOf(functions.get(name))).as(name).contains("sqs:SendMessage");
            assertThat(api.environment(functions.get(name))).as(name).containsKey("TABRUNNER_WEBHOOK_QUEUE_URL");
        }
        for (String name : List.of("sessions", "credentials")) {
            assertThat(api.actionsOf(functions.get(name))).as(name).doesNotContain("sqs:SendMessage");
        }
    }

    @Test
    void functionsThatMustNotIssueKeys_mayRecordOnlyAKeysLastUse() {
        for (String name : List.of("tasks", "credentials")) {
            List<Map<String, Object>> updates = api.statementsOf(functions.get(name)).stream()
                    .filter(s -> CfnTemplate.actions(s).contains("dynamodb:UpdateItem")
                            && map(s).containsKey("Condition"))
                    .toList();
            assertThat(updates).as(name).singleElement().satisfies(s -> {
                assertThat(CfnTemplate.actions(s)).containsExactly("dynamodb:UpdateItem");
                assertThat(map(s.get("Condition")).toString()).contains("lastUsedAt");
            });
        }
    }
}
