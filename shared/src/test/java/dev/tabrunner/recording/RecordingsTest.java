package dev.tabrunner.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingsTest {
    private static final SessionOptions DEFAULT = SessionOptions.defaults();

    @Test
    void wanted_isTheTasksChoice_thenItsSessions_thenAgentTasksOnly() {
        assertThat(Recordings.wanted(null, DEFAULT, TaskRecord.KIND_AGENT)).isTrue();
        assertThat(Recordings.wanted(null, DEFAULT, TaskRecord.KIND_SCRIPTED)).isFalse();
        assertThat(Recordings.wanted(null, DEFAULT.withRecording(true), TaskRecord.KIND_SCRIPTED)).isTrue();
        assertThat(Recordings.wanted(null, DEFAULT.withRecording(false), TaskRecord.KIND_AGENT)).isFalse();
        assertThat(Recordings.wanted(true, DEFAULT.withRecording(false), TaskRecord.KIND_SCRIPTED)).isTrue();
        assertThat(Recordings.wanted(false, DEFAULT.withRecording(true), TaskRecord.KIND_AGENT)).isFalse();
    }

    @Test
    void decided_writesTheDecisionIntoACopyOfTheRequest_whichTheWorkerReads() {
        ObjectNode body = Json.mapper().createObjectNode().put("url", "https://example.com");

        JsonNode stored = Recordings.decided(body, DEFAULT.withRecording(true), TaskRecord.KIND_SCRIPTED);

        assertThat(stored.get("recording").asBoolean()).isTrue();
        assertThat(body.has("recording")).as("the caller's body is left as it was").isFalse();
        assertThat(Recordings.recorded(stored)).isTrue();
        assertThat(Recordings.recorded(Recordings.decided(body, DEFAULT, TaskRecord.KIND_SCRIPTED))).isFalse();
        assertThat(Recordings.recorded(body)).as("a task stored before recordings").isFalse();
    }

    @Test
    void maxBytes_defaultsUnderTheApisAnswerLimit_andHasAFloor() {
        assertThat(Recordings.maxBytes(Map.of())).isEqualTo(Recordings.DEFAULT_MAX_BYTES)
                .isLessThan(6_000_000);
        assertThat(Recordings.maxBytes(Map.of(Recordings.MAX_BYTES_SETTING, "1000000"))).isEqualTo(1_000_000);
        assertThat(Recordings.maxBytes(Map.of(Recordings.MAX_BYTES_SETTING, "10"))).isEqualTo(64 * 1024);
        assertThatThrownBy(() -> Recordings.maxBytes(Map.of(Recordings.MAX_BYTES_SETTING, "4MB")))
                .hasMessageContaining(Recordings.MAX_BYTES_SETTING);
    }

    private static byte[] run(boolean truncated, String... types) {
        StringBuilder events = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            events.append(i == 0 ? "" : ",").append("{\"type\":4,\"timestamp\":").append(i).append('}');
            marks.append(i == 0 ? "" : ",").append("{\"at\":").append(i).append(",\"type\":\"").append(types[i])
                    .append("\"}");
        }
        return ("{\"format\":\"rrweb\",\"version\":1,\"truncated\":" + truncated + ",\"events\":[" + events
                + "],\"marks\":[" + marks + "]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void joined_appendsTheRunsInOrder_andIsTruncatedWhenARunWas() throws Exception {
        JsonNode doc = Recordings.joined(List.of(run(false, "navigate", "click"), run(true, "type")), 1 << 20);

        assertThat(doc.get("events")).hasSize(3);
        assertThat(doc.get("marks").findValuesAsText("type")).containsExactly("navigate", "click", "type");
        assertThat(doc.get("truncated").asBoolean()).isTrue();
        assertThat(doc.get("format").asText()).isEqualTo("rrweb");
    }

    @Test
    void joined_leavesOutTheRunsPastTheLimit_andSaysSo() throws Exception {
        byte[] first = run(false, "navigate");
        JsonNode doc = Recordings.joined(List.of(first, run(false, "click")), first.length + 10);

        assertThat(doc.get("marks").findValuesAsText("type")).containsExactly("navigate");
        assertThat(doc.get("truncated").asBoolean()).isTrue();
    }
}
