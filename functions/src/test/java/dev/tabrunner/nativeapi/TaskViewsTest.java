package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A natural-language task's view (seed 001's result fields), from what the worker stored. */
class TaskViewsTest {
    private static final String BASE = "https://api.example.test";
    /** Only inlined outputs read the blob store, through the task service: these views inline nothing. */
    private final TaskViews views = new TaskViews(null);

    private static TaskRecord agentTask(ArrayNode network, JsonNode agent, TaskStatus status) {
        Instant now = Instant.parse("2025-07-01T10:00:00Z");
        TaskRecord running = TaskRecord.created("t1", "tenant", "s1", TaskRecord.KIND_AGENT,
                        Json.mapper().createObjectNode().put("taskDetails", "download the invoice"), now)
                .toBuilder().status(TaskStatus.RUNNING).startedAt(now).network(network).agent(agent).build();
        return status == TaskStatus.RUNNING ? running
                : running.toBuilder().status(status).finishedAt(now.plusSeconds(5)).build();
    }

    private static JsonNode json(NativeTaskView view) {
        return Json.mapper().valueToTree(view);
    }

    @Test
    void theNetworkLogsOmittedMarker_staysACount_notAnEmptyUrl() {
        ArrayNode network = Json.mapper().createArrayNode();
        network.addObject().put("at", "2025-07-01T10:00:01Z").put("method", "GET").put("url", "http://a.test/");
        network.addObject().put("at", "2025-07-01T10:00:02Z").put("method", "GET").put("url", "http://b.test/")
                .put("blocked", true);
        network.addObject().put("omitted", 123);

        JsonNode urls = json(views.of(agentTask(network, null, TaskStatus.FINISHED), false, BASE))
                .at("/data/network/0/urls");

        assertThat(urls).hasSize(3);
        assertThat(urls.get(0).toString()).isEqualTo("{\"url\":\"http://a.test/\",\"timestamp\":1751364001000}");
        assertThat(urls.get(1).get("blocked").asBoolean()).isTrue();
        assertThat(urls.get(2).toString()).isEqualTo("{\"omitted\":123}");
    }

    @Test
    void downloadedFilesAndThePollUrl_areAbsolute_hostedUrls() {
        ObjectNode agent = Json.mapper().createObjectNode();
        agent.putObject("data").put("message", "downloaded").putArray("files").addObject()
                .put("source", "https://billing.example/invoice.pdf").put("artifactId", "a1")
                .put("filename", "invoice.pdf").put("timestamp", 1751364003000L);

        JsonNode done = json(views.of(agentTask(null, agent, TaskStatus.FINISHED), false, BASE));
        JsonNode running = json(views.of(agentTask(null, agent, TaskStatus.RUNNING), false, BASE));

        assertThat(done.at("/data/files/0/downloadUrl").asText())
                .isEqualTo(BASE + "/browser/sessions/s1/tasks/t1/artifacts/a1");
        assertThat(done.at("/data/files/0/source").asText()).isEqualTo("https://billing.example/invoice.pdf");
        assertThat(running.get("pollUrl").asText()).isEqualTo(BASE + "/browser/sessions/s1/tasks/t1");
        assertThat(done.has("pollUrl")).isFalse();
    }
}
