package dev.tabrunner.browseruse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser-use v1 API shows of a task (seed 004's Get Task and List Tasks responses) and of an upload.
 * Fields the seed marks {@code string | null} are always present, null when there is nothing to show.
 */
final class BrowserUseV1Views {
    private static final Pattern EVALUATION = Pattern.compile(
            "(?im)^\\s*(?:evaluation(?: of (?:the )?previous goal)?|eval)\\s*:\\s*(.+)$");
    private static final Pattern NEXT_GOAL = Pattern.compile("(?im)^\\s*next[ _]goal\\s*:\\s*(.+)$");

    private BrowserUseV1Views() {
    }

    /** {@code POST /api/v1/run-task}: the new task's id. */
    record Created(String id) {
    }

    /** The list entry: {@code GET /api/v1/tasks}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TaskSummary(String id, String task, String output, String status,
                       @JsonProperty("created_at") String createdAt,
                       @JsonProperty("finished_at") String finishedAt,
                       @JsonProperty("live_url") String liveUrl) {
    }

    /**
     * The full view: {@code GET /api/v1/task/{task_id}}, the seed's fields plus {@code proxy}, which says whether the
     * browser went through the proxy the task asked for.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Task(@JsonUnwrapped TaskSummary summary, List<Step> steps,
                @JsonProperty("browser_data") JsonNode browserData,
                @JsonProperty("user_uploaded_files") List<String> userUploadedFiles,
                @JsonProperty("output_files") List<String> outputFiles,
                @JsonProperty("public_share_url") String publicShareUrl,
                Map<String, String> metadata, Proxy proxy) {
    }

    /**
     * The proxy of a task that asked for one ({@code use_proxy}): its country, whether the browser went through it,
     * and when not, why (no proxy for that country in this deployment: the task ran without a proxy).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Proxy(@JsonProperty("country_code") String countryCode, boolean used, String detail) {
        static Proxy of(V1TaskData data) {
            if (data.proxyRequested() == null) {
                return null;
            }
            return data.proxyUsed() != null ? new Proxy(data.proxyUsed(), true, null)
                    : new Proxy(data.proxyRequested(), false, "no proxy is configured for '" + data.proxyRequested()
                    + "' in this deployment; the task ran without a proxy (a direct connection)");
        }
    }

    /** The full view as a public share link shows it: no live view, no browser data. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SharedTask(String id, String task, String output, String status,
                      @JsonProperty("created_at") String createdAt,
                      @JsonProperty("finished_at") String finishedAt, List<Step> steps,
                      @JsonProperty("user_uploaded_files") List<String> userUploadedFiles,
                      @JsonProperty("output_files") List<String> outputFiles,
                      @JsonProperty("public_share_url") String publicShareUrl,
                      Map<String, String> metadata) {
        static SharedTask of(Task t) {
            TaskSummary s = t.summary();
            return new SharedTask(s.id(), s.task(), s.output(), s.status(), s.createdAt(), s.finishedAt(), t.steps(),
                    t.userUploadedFiles(), t.outputFiles(), t.publicShareUrl(), t.metadata());
        }
    }

    /** One agent step, its reasoning split into the seed's two fields. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Step(String id, int step,
                @JsonProperty("evaluation_previous_goal") String evaluationPreviousGoal,
                @JsonProperty("next_goal") String nextGoal, String url, JsonNode actions) {
    }

    /** One page of {@code GET /api/v1/tasks}. */
    record TaskList(List<TaskSummary> tasks, @JsonProperty("total_pages") int totalPages, int page, int limit,
                    @JsonProperty("total_count") int totalCount) {
    }

    /** {@code POST /api/v1/uploads}, and an upload through a link of {@code uploads/presigned-url}. */
    record Upload(String id, @JsonProperty("file_name") String fileName, long size,
                  @JsonProperty("content_type") String contentType,
                  @JsonProperty("uploaded_at") String uploadedAt) {
        static Upload of(UploadedFile f) {
            return new Upload(f.id(), f.name(), f.size(), f.contentType(), f.uploadedAt().toString());
        }
    }

    /**
     * {@code POST /api/v1/uploads/presigned-url}: where to PUT the file ({@code upload_url}, as browser-use
     * answers), and, beyond it, the name the file will have and how many seconds the link works.
     */
    record UploadLink(@JsonProperty("upload_url") String uploadUrl, @JsonProperty("file_name") String fileName,
                      @JsonProperty("expires_in") long expiresIn) {
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

    /** @param base the scheme and host absolute links start with; empty for links relative to the host */
    static Task task(TaskRecord t, String base, Optional<JsonNode> browserData) {
        V1TaskData data = V1TaskData.of(t);
        return new Task(summary(t, base), steps(t), browserData.orElse(null),
                data.userUploadedFiles() == null ? List.of() : data.userUploadedFiles(), outputFiles(t),
                data.shareToken() == null ? null : base + "/share/" + t.id() + "?token=" + data.shareToken(),
                data.metadata(), Proxy.of(data));
    }

    static TaskSummary summary(TaskRecord t, String base) {
        String task = V1TaskData.of(t).task();
        return new TaskSummary(t.id(), task != null ? task : t.request().path("taskDetails").asText(), output(t),
                status(t), t.createdAt().toString(),
                t.status().isTerminal() && t.finishedAt() != null ? t.finishedAt().toString() : null,
                t.status().isTerminal() || t.liveViewUrl() == null ? null : base + t.liveViewUrl());
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

    private static List<Step> steps(TaskRecord t) {
        List<Step> out = new ArrayList<>();
        JsonNode steps = t.agent() == null ? Json.mapper().createArrayNode() : t.agent().path("steps");
        for (JsonNode s : steps) {
            String reasoning = s.path("reasoning").asText("");
            int number = s.path("step").asInt();
            out.add(new Step(t.id() + "-step-" + number, number, first(EVALUATION, reasoning, ""),
                    first(NEXT_GOAL, reasoning, reasoning), s.path("url").asText(null),
                    s.has("actions") ? s.get("actions") : Json.mapper().createArrayNode()));
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
}
