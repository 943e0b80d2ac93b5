package dev.tabrunner.browsing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the browsing API answers (seed 003): the new task's id, its status document, the nodes. */
final class BrowsingViews {
    private BrowsingViews() {
    }

    /** {@code POST /api/v1/browsing/async}. */
    record Created(@JsonProperty("task_id") String taskId) {
    }

    /**
     * The status document of a task under way: its id and status, and while a copy runs the link of its live view
     * (a Tabrunner addition: a page that shows the browser as it works, and can be embedded in an iframe).
     */
    record Pending(@JsonProperty("task_id") String taskId, String status,
                   @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("live_url") String liveUrl) {
    }

    /**
     * The status document of a task that has ended ({@code completed} or {@code failed}); every field is present,
     * null when there is nothing to show.
     *
     * @param payload the agent's answer: the structured output when it gave one, else its final message
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Finished(@JsonProperty("task_id") String taskId, String status, boolean success, JsonNode payload,
                    Info info, Error error, @JsonProperty("execution_time_ms") long executionTimeMs,
                    List<Screenshot> screenshots) {
    }

    /**
     * How the task ran.
     *
     * @param steps    the agent steps of the decisive copy (the winner of a fanout)
     * @param node     where that copy ran
     * @param fanout   every copy, when the task was raced; null for a task run once
     * @param usage    the model's usage, summed over every copy
     * @param template the template's stem
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Info(int steps, @JsonProperty("final_url") String finalUrl, Node node, Fanout fanout, Usage usage,
                String template, @JsonProperty("session_key") String sessionKey) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Node(String uid, @JsonProperty("country_iso") String countryIso) {
    }

    /** The copies of a raced task and which one won (its {@code task_id}), or null when none completed. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Fanout(List<Copy> copies, String winner) {
    }

    /**
     * One copy.
     *
     * @param outcome {@code completed}, {@code failed}, {@code cancelled} (stopped: it lost the race) or, while the
     *                copy is still being stopped, its status
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Copy(@JsonProperty("task_id") String taskId, Node node, String outcome, int steps) {
    }

    record Usage(@JsonProperty("input_tokens") long inputTokens, @JsonProperty("output_tokens") long outputTokens,
                 @JsonProperty("total_tokens") long totalTokens, BigDecimal cost) {
    }

    record Error(String code, String message) {
    }

    /** A screenshot to download from {@code GET /api/v1/browsing/screenshots/{task_id}/{file}}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Screenshot(String file, int step, String url, @JsonProperty("taken_at") Instant takenAt) {
    }

    /** {@code GET /api/v1/browsing/nodes}. */
    record Nodes(List<NodeStatus> nodes) {
    }

    /** @param status {@code busy} while a browsing task runs on the node, else {@code free} */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record NodeStatus(String uid, @JsonProperty("country_iso") String countryIso, String status) {
    }

    /** Agent error codes the seed's callers know by another name. */
    private static final Set<String> TIMEOUTS = Set.of("max_duration");

    /**
     * The status document: {@link Pending} or {@link Finished}.
     *
     * @param base the API's public base URL, which the live view's link starts with
     */
    static Object status(BrowsingTask task, String base) {
        BrowsingTask.Phase phase = task.phase();
        String id = task.primary().id();
        if (!task.ended()) {
            String live = task.copies().stream().filter(c -> !c.status().isTerminal() && c.liveViewUrl() != null)
                    .map(c -> base + c.liveViewUrl()).findFirst().orElse(null);
            return new Pending(id, phase.wireName(), live);
        }
        TaskRecord d = task.decisive();
        BrowsingTaskData data = BrowsingTaskData.of(d);
        boolean success = phase == BrowsingTask.Phase.COMPLETED;
        Instant start = d.startedAt() != null ? d.startedAt() : d.createdAt();
        long elapsed = d.finishedAt() == null ? 0 : Math.max(0, Duration.between(start, d.finishedAt()).toMillis());
        Info info = new Info(steps(d), d.finalUrl(), new Node(data.nodeUid(), data.nodeCountry()),
                task.copies().size() > 1 ? fanout(task) : null, usage(task), data.template(), data.sessionKey());
        List<Screenshot> shots = new ArrayList<>();
        for (BrowsingTask.Screenshot s : task.screenshots()) {
            shots.add(new Screenshot(s.file(), s.step(), s.url(), s.takenAt()));
        }
        return new Finished(id, phase.wireName(), success, success ? payload(d) : null, info,
                success ? null : error(d), elapsed, shots);
    }

    private static int steps(TaskRecord t) {
        return t.agent() == null ? 0 : t.agent().path("steps").size();
    }

    private static JsonNode payload(TaskRecord t) {
        JsonNode data = t.agent() == null ? null : t.agent().path("data");
        if (data == null) {
            return null;
        }
        if (data.hasNonNull("output")) {
            return data.get("output");
        }
        return data.hasNonNull("message") ? TextNode.valueOf(data.get("message").asText()) : null;
    }

    private static Error error(TaskRecord t) {
        if (t.status() == TaskStatus.STOPPED) {
            return new Error("cancelled", "the task was stopped before it completed");
        }
        if (t.error() == null) {
            return new Error("failed", "the task failed");
        }
        return new Error(TIMEOUTS.contains(t.error().code()) ? "timeout" : t.error().code(), t.error().message());
    }

    private static Fanout fanout(BrowsingTask task) {
        String winner = task.winner().map(TaskRecord::id).orElse(null);
        List<Copy> copies = new ArrayList<>();
        for (TaskRecord c : task.copies()) {
            BrowsingTaskData data = BrowsingTaskData.of(c);
            String outcome = switch (c.status()) {
                case FINISHED -> "completed";
                case FAILED -> "failed";
                case STOPPED -> "cancelled";
                case CREATED, RUNNING, PAUSED, GUARDRAIL -> c.control() == TaskRecord.Control.STOP ? "cancelling"
                        : c.status().name().toLowerCase(Locale.ROOT);
            };
            copies.add(new Copy(c.id(), new Node(data.nodeUid(), data.nodeCountry()), outcome, steps(c)));
        }
        return new Fanout(copies, winner);
    }

    private static Usage usage(BrowsingTask task) {
        long input = 0;
        long output = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (TaskRecord c : task.copies()) {
            JsonNode u = c.agent() == null ? null : c.agent().get("usage");
            if (u != null) {
                input += u.path("prompt_tokens").asLong(0);
                output += u.path("completion_tokens").asLong(0);
                cost = cost.add(u.path("cost").decimalValue());
            }
        }
        return new Usage(input, output, input + output, cost);
    }
}
