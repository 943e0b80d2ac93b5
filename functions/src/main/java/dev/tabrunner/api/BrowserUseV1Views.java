package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the browser-use v1 API shows of a task (seed 004's Get Task and List Tasks responses). */
final class BrowserUseV1Views {
    private static final Pattern EVALUATION = Pattern.compile(
            "(?im)^\\s*(?:evaluation(?: of (?:the )?previous goal)?|eval)\\s*:\\s*(.+)$");
    private static final Pattern NEXT_GOAL = Pattern.compile("(?im)^\\s*next[ _]goal\\s*:\\s*(.+)$");

    private BrowserUseV1Views() {
    }

    /**
     * The v1 status. A task that has started and was handed back to the queue (a worker yielded or was lost, or a
     * paused task was resumed) is still running to the caller; waiting for a person's answer is a pause.
     */
    static String status(TaskRecord t) {
        return switch (t.status()) {
            case CREATED -> t.startedAt() == null ? "created" : "running";
            case RUNNING -> "running";
            case PAUSED, GUARDRAIL -> "paused";
            case FINISHED -> "finished";
            case FAILED -> "failed";
            case STOPPED -> "stopped";
        };
    }

    /** The full view: {@code GET /api/v1/task/{task_id}}. */
    static Map<String, Object> task(TaskRecord t, String base, Optional<JsonNode> browserData) {
        JsonNode dialect = BrowserUseV1Service.dialect(t);
        Map<String, Object> out = summary(t, base);
        out.put("steps", steps(t));
        out.put("browser_data", browserData.orElse(null));
        out.put("user_uploaded_files", strings(dialect.path("userUploadedFiles")));
        out.put("output_files", outputFiles(t));
        out.put("public_share_url", shareUrl(t, base));
        out.put("metadata", Json.mapper().convertValue(dialect.path("metadata"), Map.class));
        return out;
    }

    /** The list entry: {@code GET /api/v1/tasks}. */
    static Map<String, Object> summary(TaskRecord t, String base) {
        JsonNode dialect = BrowserUseV1Service.dialect(t);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("task", dialect.path("task").asText(t.request().path("taskDetails").asText()));
        out.put("output", output(t));
        out.put("status", status(t));
        out.put("created_at", t.createdAt().toString());
        out.put("finished_at", t.status().isTerminal() && t.finishedAt() != null ? t.finishedAt().toString() : null);
        out.put("live_url", t.status().isTerminal() || t.liveViewUrl() == null ? null : base + t.liveViewUrl());
        return out;
    }

    /**
     * The structured output as a JSON string when the task had a schema, otherwise the agent's final message;
     * for a task that failed, why.
     */
    private static String output(TaskRecord t) {
        if (!t.status().isTerminal()) {
            return null;
        }
        JsonNode data = t.agent() == null ? Json.mapper().createObjectNode() : t.agent().path("data");
        if (data.has("output") && !data.get("output").isNull()) {
            JsonNode o = data.get("output");
            return o.isTextual() ? o.textValue() : o.toString();
        }
        if (data.hasNonNull("message")) {
            return data.get("message").asText();
        }
        return t.error() == null ? null : t.error().message();
    }

    private static List<Map<String, Object>> steps(TaskRecord t) {
        List<Map<String, Object>> out = new ArrayList<>();
        JsonNode steps = t.agent() == null ? Json.mapper().createArrayNode() : t.agent().path("steps");
        for (JsonNode s : steps) {
            String reasoning = s.path("reasoning").asText("");
            Map<String, Object> step = new LinkedHashMap<>();
            int number = s.path("step").asInt();
            step.put("id", t.id() + "-step-" + number);
            step.put("step", number);
            step.put("evaluation_previous_goal", first(EVALUATION, reasoning, ""));
            step.put("next_goal", first(NEXT_GOAL, reasoning, reasoning));
            step.put("url", s.path("url").asText(null));
            step.put("actions", s.has("actions") ? s.get("actions") : Json.mapper().createArrayNode());
            out.add(step);
        }
        return out;
    }

    private static String first(Pattern p, String text, String fallback) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1).trim() : fallback;
    }

    private static List<String> outputFiles(TaskRecord t) {
        List<String> out = new ArrayList<>();
        if (t.agent() != null) {
            for (JsonNode f : t.agent().path("data").path("files")) {
                out.add(f.path("filename").asText());
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array instanceof ArrayNode a) {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static String shareUrl(TaskRecord t, String base) {
        String token = BrowserUseV1Service.dialect(t).path("shareToken").asText(null);
        return token == null ? null : base + "/share/" + t.id() + "?token=" + token;
    }
}
