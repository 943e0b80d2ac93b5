package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRecordTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    private static ObjectNode request() {
        return Json.mapper().createObjectNode().put("taskDetails", "find the price");
    }

    @Test
    void dialectData_isKeptAsGiven_andSurvivesTheBuilderAndJson() throws Exception {
        DialectData dialect = new DialectData("some-dialect",
                Json.mapper().createObjectNode().put("shown", "as given"));
        TaskRecord t = TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_AGENT, request(), dialect, NOW);

        TaskRecord next = t.toBuilder().status(TaskStatus.RUNNING).build();
        TaskRecord read = Json.mapper().readValue(Json.mapper().writeValueAsString(next), TaskRecord.class);

        assertThat(next.dialect()).isEqualTo(dialect);
        assertThat(read.dialect()).isEqualTo(dialect);
        assertThat(read.request()).isEqualTo(request());
    }

    @Test
    void aNativeTask_hasNoDialectData_andWritesNone() throws Exception {
        TaskRecord t = TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_SCRIPTED, request(), NOW);

        assertThat(t.dialect()).isNull();
        assertThat(Json.mapper().readTree(Json.mapper().writeValueAsString(t)).has("dialect")).isFalse();
    }

    @Test
    void aRowWrittenWithTheDialectInsideTheRequest_isLiftedIntoTheField_whenRead() throws Exception {
        ObjectNode legacyRequest = request();
        legacyRequest.putObject("dialect").put("name", "browser-use-v1").put("task", "as the caller wrote it");
        ObjectNode row = (ObjectNode) Json.mapper().valueToTree(
                TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_AGENT, request(), NOW));
        row.set("request", legacyRequest);

        TaskRecord read = Json.mapper().treeToValue(row, TaskRecord.class);

        assertThat(read.dialect().name()).isEqualTo("browser-use-v1");
        assertThat(read.dialect().data()).isEqualTo(Json.mapper().createObjectNode().put("task",
                "as the caller wrote it"));
        assertThat(read.request()).isEqualTo(request());
        assertThat(legacyRequest.has("dialect")).as("the row read is not changed").isTrue();
    }

    @Test
    void aRequestFieldNamedDialect_withoutAName_isLeftAlone() {
        ObjectNode body = request();
        body.put("dialect", "not a dialect's data");

        TaskRecord t = TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_AGENT, body, NOW);

        assertThat(t.dialect()).isNull();
        assertThat(t.request().get("dialect")).isEqualTo(Json.mapper().valueToTree("not a dialect's data"));
    }

    @Test
    void dialectData_withoutData_holdsAnEmptyObject() {
        JsonNode data = new DialectData("d", null).data();
        assertThat(data.isObject()).isTrue();
        assertThat(data.isEmpty()).isTrue();
    }
}
