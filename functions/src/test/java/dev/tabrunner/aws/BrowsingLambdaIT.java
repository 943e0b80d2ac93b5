package dev.tabrunner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.llm.ModelRouter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browsing API on Lambda: {@code sync} on a function with a time limit answers 504 with the {@code task_id}
 * before the function is cut off (API Gateway's 30 s on the tasks function), and the task goes on. No worker runs
 * here: the task stays queued, which is what a wait longer than the function's limit looks like.
 */
class BrowsingLambdaIT {
    private static LambdaHarness aws;
    private static String adminKey;

    @BeforeAll
    static void deploy() {
        ModelRouter models = new ModelRouter(LanguageModelSettings.from(Map.of(
                "TABRUNNER_LLM_BASE_URL", "http://127.0.0.1:9/v1", "TABRUNNER_LLM_API_KEY", "sk-unused")));
        aws = new LambdaHarness(Duration.ofMillis(1500), models);
        adminKey = aws.invokeRaw("{\"bootstrapAdminKey\":true}").get("key").asText();
    }

    @Test
    void sync_answers504WithTheTaskId_beforeTheFunctionsDeadline_ignoringACallersDeadlineHeader()
            throws IOException {
        long began = System.nanoTime();
        // the caller's own deadline header (0: answer at once) is dropped; the invocation's 6 s are what count
        LambdaHarness.Response r = aws.send(LambdaHarness.event("browsing-sync", Map.of("key", adminKey,
                "deadline", "0")), 6_000);
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertThat(r.status()).as(r.text()).isEqualTo(504);
        assertThat(took).isBetween(Duration.ofMillis(2_500), Duration.ofMillis(5_500));
        JsonNode body = r.json();
        assertThat(body.at("/error/code").asText()).isEqualTo("sync_timeout");
        String taskId = body.get("task_id").asText();
        // handed to the worker function, where it goes on
        String dispatched = aws.lambda.payloads().get(aws.lambda.payloads().size() - 1);
        assertThat(Json.mapper().readTree(dispatched).get("taskId").asText()).isEqualTo(taskId);

        LambdaHarness.Response status = aws.call("browsing-status", Map.of("key", adminKey, "taskId", taskId));
        assertThat(status.status()).as(status.text()).isEqualTo(200);
        assertThat(status.json().toString()).isEqualTo("{\"task_id\":\"" + taskId + "\",\"status\":\"queued\"}");
    }

    @Test
    void status_withoutATaskId_is400_inTheDialectsFormat() {
        LambdaHarness.Response r = aws.call("browsing-status", Map.of("key", adminKey, "taskId", ""));

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_request");
    }
}
