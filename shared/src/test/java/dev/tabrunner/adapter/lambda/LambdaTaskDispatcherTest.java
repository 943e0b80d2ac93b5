package dev.tabrunner.adapter.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.testing.RecordingLambda;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.InvocationType;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LambdaTaskDispatcherTest {
    private final RecordingLambda lambda = new RecordingLambda("tabrunner-worker");

    private static TaskRecord task(String id) {
        return TaskRecord.created(id, "acme", "s1", TaskRecord.KIND_SCRIPTED, Json.mapper().createObjectNode(),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void dispatch_invokesTheWorkerAsynchronously_withTheTaskIdOnly() throws Exception {
        new LambdaTaskDispatcher(lambda, "tabrunner-worker").dispatch(task("t-1"));
        assertThat(lambda.invocations).hasSize(1);
        assertThat(lambda.invocations.get(0).invocationType()).isEqualTo(InvocationType.EVENT);
        JsonNode payload = Json.mapper().readTree(lambda.payloads().get(0));
        assertThat(payload.size()).isEqualTo(1);
        assertThat(payload.get("taskId").asText()).isEqualTo("t-1");
    }

    @Test
    void aFailedInvoke_isStoreUnavailable() {
        lambda.failing(true);
        assertThatThrownBy(() -> new LambdaTaskDispatcher(lambda, "tabrunner-worker").dispatch(task("t-2")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("t-2");
        lambda.failing(false);
        assertThatThrownBy(() -> new LambdaTaskDispatcher(lambda, "other").dispatch(task("t-3")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aMissingFunctionName_isADeploymentError() {
        assertThatThrownBy(() -> new LambdaTaskDispatcher(lambda, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
