package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the v2 API shows, as the SDK's types ({@code TaskView}, {@code SessionView}, ...) name it: camelCase, every
 * field present, null when there is nothing to show. Costs are strings of US dollars, as browser-use writes them.
 */
final class V2Views {
    private V2Views() {
    }

    /** One page of a list: {@code TaskListResponse}, {@code SessionListResponse}, ... */
    record Page<T>(List<T> items, int totalItems, int pageNumber, int pageSize) {
    }

    record TaskCreated(String id, String sessionId) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TaskItem(String id, String sessionId, String llm, String task, String status, Instant createdAt,
                    Instant startedAt, Instant finishedAt, Map<String, String> metadata, String output,
                    String browserUseVersion, @JsonProperty("isSuccess") Boolean isSuccess, String judgement,
                    Boolean judgeVerdict, String cost, List<Map<String, Object>> suggestions) {
    }

    /** {@code TaskView}: the list entry's fields, its steps and output files. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Task(String id, String sessionId, String llm, String task, String status, Instant createdAt,
                Instant startedAt, Instant finishedAt, Map<String, String> metadata, List<Step> steps, String output,
                List<FileRef> outputFiles, String browserUseVersion, @JsonProperty("isSuccess") Boolean isSuccess,
                String judgement, Boolean judgeVerdict, String cost, List<Map<String, Object>> suggestions) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TaskStatusView(String id, String status, String output, Instant finishedAt,
                          @JsonProperty("isSuccess") Boolean isSuccess, String cost) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Step(int number, String memory, String evaluationPreviousGoal, String nextGoal, String url,
                String screenshotUrl, List<String> actions, Double duration) {
    }

    record FileRef(String id, String fileName) {
    }

    record OutputFile(String id, String fileName, String downloadUrl) {
    }

    record LogFile(String downloadUrl) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SessionItem(String id, String status, String liveUrl, String recordingUrl, Instant startedAt,
                       Instant finishedAt, boolean persistMemory, boolean keepAlive, String proxyUsedMb,
                       String proxyCost) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SessionView(String id, String status, String liveUrl, String recordingUrl, Instant startedAt,
                       Instant finishedAt, List<TaskItem> tasks, String publicShareUrl, boolean persistMemory,
                       boolean keepAlive, String proxyUsedMb, String proxyCost) {
    }

    /** A session as its public share shows it: no live view, nothing to act on. */
    record SharedSession(String id, String status, Instant startedAt, Instant finishedAt, List<Task> tasks) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Share(String shareToken, String shareUrl, long viewCount, Instant lastViewedAt) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Profile(String id, String userId, String name, Instant lastUsedAt, Instant createdAt, Instant updatedAt,
                   List<String> cookieDomains) {
    }

    /** {@code UploadFilePresignedUrlResponse}: POST a form with {@code fields} and the {@code file} to the URL. */
    record UploadUrl(String url, String method, Map<String, String> fields, String fileName, long expiresIn) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Browser(String id, String status, String liveUrl, String cdpUrl, Instant timeoutAt, Instant startedAt,
                   Instant finishedAt, String proxyUsedMb, String proxyCost, String browserCost,
                   String agentSessionId, String recordingUrl, boolean recordingAvailable,
                   Map<String, String> metadata) {
    }

    /**
     * The v2 status. browser-use's {@code run()} and {@code wait()} stop polling only on {@code finished} and
     * {@code stopped}, and its service ends a run that failed as {@code finished} with {@code isSuccess: false};
     * so does this one, never answering {@code failed}. A task handed back to the queue after it started, paused,
     * or waiting for a person's answer is still {@code started}.
     */
    static String status(TaskRecord t) {
        return switch (t.status()) {
            case CREATED -> t.startedAt() == null ? "created" : "started";
            case RUNNING, PAUSED, GUARDRAIL -> "started";
            case FINISHED, FAILED -> "finished";
            case STOPPED -> "stopped";
        };
    }

    static String sessionStatus(Session s, Instant now) {
        return s.statusAt(now) == SessionStatus.ACTIVE ? "active" : "stopped";
    }

    /** When a session stopped: terminated, or its inactivity timeout passed; null while it is active. */
    static Instant sessionFinishedAt(Session s, Instant now) {
        return switch (s.statusAt(now)) {
            case ACTIVE -> null;
            case TERMINATED -> s.terminatedAt();
            case EXPIRED -> s.expiresAt();
        };
    }

    /** True when it ended as the agent meant it to; null while it runs and for a stopped task. */
    static Boolean isSuccess(TaskRecord t) {
        return switch (t.status()) {
            case FINISHED -> true;
            case FAILED -> false;
            case CREATED, RUNNING, PAUSED, GUARDRAIL, STOPPED -> null;
        };
    }

    /**
     * The structured output as a JSON string when the task had a schema, otherwise the agent's final message; for
     * a task that failed without a schema, why (with a schema the SDK parses the output as JSON, so it is null).
     */
    static String output(TaskRecord t) {
        if (!t.status().isTerminal()) {
            return null;
        }
        JsonNode data = t.agent() == null ? Json.mapper().createObjectNode() : t.agent().path("data");
        if (data.hasNonNull("output")) {
            JsonNode o = data.get("output");
            return o.isTextual() ? o.textValue() : o.toString();
        }
        if (V2TaskData.of(t).structured()) {
            return null;
        }
        if (data.hasNonNull("message")) {
            return data.get("message").asText();
        }
        return t.error() == null ? null : t.error().message();
    }

    /** The task's cost in US dollars, as the agent counted it; null before it has one. */
    static String cost(TaskRecord t) {
        JsonNode cost = t.agent() == null ? null : t.agent().path("usage").get("cost");
        return cost == null || !cost.isNumber() ? null : cost.decimalValue().toPlainString();
    }

    static Instant finishedAt(TaskRecord t) {
        return t.status().isTerminal() ? t.finishedAt() : null;
    }

    static TaskItem item(TaskRecord t) {
        V2TaskData data = V2TaskData.of(t);
        return new TaskItem(t.id(), t.sessionId(), data.llm(), data.task(), status(t), t.createdAt(),
                t.startedAt(), finishedAt(t), data.metadata(), output(t), null, isSuccess(t), null, null, cost(t),
                null);
    }

    /**
     * @param screenshotUrl the URL of a step's screenshot by its artifact id
     */
    static Task task(TaskRecord t, java.util.function.Function<String, String> screenshotUrl) {
        TaskItem i = item(t);
        return new Task(i.id(), i.sessionId(), i.llm(), i.task(), i.status(), i.createdAt(), i.startedAt(),
                i.finishedAt(), i.metadata(), steps(t, screenshotUrl), i.output(), outputFiles(t),
                i.browserUseVersion(), i.isSuccess(), i.judgement(), i.judgeVerdict(), i.cost(), i.suggestions());
    }

    static TaskStatusView statusView(TaskRecord t) {
        return new TaskStatusView(t.id(), status(t), output(t), finishedAt(t), isSuccess(t), cost(t));
    }

    /**
     * The agent's steps. The agent writes one reasoning text per step; lines that start with browser-use's own
     * headings ({@code Evaluation:}, {@code Memory:}, {@code Next goal:}) fill those fields, and the whole text is
     * the step's memory otherwise.
     */
    private static List<Step> steps(TaskRecord t, java.util.function.Function<String, String> screenshotUrl) {
        List<Step> out = new ArrayList<>();
        JsonNode steps = t.agent() == null ? Json.mapper().createArrayNode() : t.agent().path("steps");
        for (JsonNode s : steps) {
            String reasoning = s.path("reasoning").asText("");
            String evaluation = "";
            String memory = reasoning;
            String next = "";
            for (String line : reasoning.split("\n")) {
                String l = line.strip();
                String lower = l.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("evaluation") && l.contains(":")) {
                    evaluation = l.substring(l.indexOf(':') + 1).strip();
                } else if (lower.startsWith("next goal:") || lower.startsWith("next_goal:")) {
                    next = l.substring(l.indexOf(':') + 1).strip();
                } else if (lower.startsWith("memory:")) {
                    memory = l.substring(l.indexOf(':') + 1).strip();
                }
            }
            List<String> actions = new ArrayList<>();
            s.path("actions").forEach(a -> actions.add(a.toString()));
            String shot = s.hasNonNull("screenshotArtifactId")
                    ? screenshotUrl.apply(s.get("screenshotArtifactId").asText()) : null;
            Double duration = s.has("durationMs") ? s.get("durationMs").asLong() / 1000.0 : null;
            out.add(new Step(s.path("step").asInt(), memory, evaluation, next, s.path("url").asText(""), shot,
                    actions, duration));
        }
        return out;
    }

    /** The files the agent's browser downloaded, by their artifact ids. */
    static List<FileRef> outputFiles(TaskRecord t) {
        List<FileRef> out = new ArrayList<>();
        if (t.agent() != null) {
            for (JsonNode f : t.agent().path("data").path("files")) {
                out.add(new FileRef(f.path("artifactId").asText(), f.path("filename").asText()));
            }
        }
        return out;
    }
}
