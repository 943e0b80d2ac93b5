package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The fields a natural-language task adds to the task view (seed 001's result): {@code steps}, {@code usage},
 * {@code data} ({@code message}, {@code output}, {@code files[]}, {@code network[]}), the {@code question} while
 * it waits for a person, and {@code replay}, the seed-000 action list it executed.
 */
final class AgentViews {
    private AgentViews() {
    }

    static void addTo(Map<String, Object> out, TaskRecord t) {
        JsonNode agent = t.agent() == null ? Json.mapper().createObjectNode() : t.agent();
        String base = TaskService.pollUrl(t) + "/artifacts/";
        out.put("kind", TaskRecord.KIND_AGENT);
        out.put("taskDetails", t.request().path("taskDetails").asText());
        if (t.request().has("model")) {
            out.put("model", t.request().get("model").asText());
        }
        ArrayNode steps = agent.has("steps") ? ((ArrayNode) agent.get("steps")).deepCopy()
                : Json.mapper().createArrayNode();
        for (JsonNode s : steps) {
            if (s.has("screenshotArtifactId")) {
                ((ObjectNode) s).put("screenshotUrl", base + s.get("screenshotArtifactId").asText());
            }
        }
        out.put("steps", steps);
        out.put("usage", agent.has("usage") ? agent.get("usage") : Json.mapper().createObjectNode()
                .put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0)
                .put("completion_time", 0.0).put("cost", 0));
        if (t.status() == TaskStatus.GUARDRAIL && agent.hasNonNull("question")) {
            out.put("question", agent.get("question").asText());
        }
        if (t.status().isTerminal()) {
            out.put("data", data(t, agent, base));
            out.put("replay", agent.has("replay") ? agent.get("replay") : Json.mapper().createArrayNode());
        }
    }

    private static ObjectNode data(TaskRecord t, JsonNode agent, String base) {
        JsonNode given = agent.path("data");
        ObjectNode data = Json.mapper().createObjectNode();
        if (given.hasNonNull("message")) {
            data.set("message", given.get("message"));
        } else if (t.error() != null) {
            data.put("message", t.error().message());
        }
        if (given.has("output")) {
            data.set("output", given.get("output"));
        }
        ArrayNode files = data.putArray("files");
        for (JsonNode f : given.path("files")) {
            files.addObject().put("source", f.path("source").asText())
                    .put("downloadUrl", base + f.path("artifactId").asText())
                    .put("filename", f.path("filename").asText())
                    .put("timestamp", f.path("timestamp").asLong());
        }
        ArrayNode network = data.putArray("network");
        if (t.network() != null && !t.network().isEmpty()) {
            ObjectNode entry = network.addObject();
            entry.put("id", t.id() + "-network");
            entry.put("taskId", t.id());
            ArrayNode urls = entry.putArray("urls");
            for (JsonNode n : t.network()) {
                ObjectNode u = urls.addObject().put("url", n.path("url").asText())
                        .put("timestamp", millis(n.path("at").asText()));
                if (n.path("blocked").asBoolean(false)) {
                    u.put("blocked", true);
                }
            }
        }
        if (given.path("truncated").asBoolean(false)) {
            data.put("truncated", true);
        }
        return data;
    }

    private static long millis(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
