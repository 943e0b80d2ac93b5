package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ToolCall;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an agent task has done and needs to go on, as JSON, so that a different worker can resume it. It
 * has two parts: the {@linkplain #checkpointJson() checkpoint} (the model's compacted memory and the loop's
 * counters, private to the loop) and the {@linkplain #progressJson() progress} (steps, usage, the replay list,
 * files, the pending question and the result: what callers see). Neither ever holds a secret value.
 */
public final class AgentState {
    /** One step kept verbatim in the model's memory: its turn and the result of each tool call. */
    public record MemoryEntry(int step, String text, List<ToolCall> calls, List<String> results) {
        public MemoryEntry {
            calls = List.copyOf(calls);
            results = new ArrayList<>(results);
        }
    }

    /** A question to a person that is waiting for its answer. */
    public record PendingQuestion(int step, String toolCallId, String question) {
    }

    private record Checkpoint(int stepsTaken, long activeMillis, int failedSteps, int corrections,
                              boolean started, List<MemoryEntry> memory, List<String> earlier, int earlierDropped,
                              PendingQuestion pending, Map<String, String> extracted, BigDecimal cost) {
    }

    int stepsTaken;
    long activeMillis;
    int failedSteps;
    int corrections;
    boolean started;
    List<MemoryEntry> memory = new ArrayList<>();
    List<String> earlier = new ArrayList<>();
    int earlierDropped;
    PendingQuestion pending;
    Map<String, String> extracted = new LinkedHashMap<>();

    ArrayNode steps = Json.mapper().createArrayNode();
    long promptTokens;
    long completionTokens;
    BigDecimal cost = BigDecimal.ZERO;
    ArrayNode replay = Json.mapper().createArrayNode();
    ArrayNode files = Json.mapper().createArrayNode();
    String message;
    JsonNode output;
    boolean truncated;

    /** A task that has not started. */
    public static AgentState fresh() {
        return new AgentState();
    }

    /** The state a previous run left, from its two halves. */
    public static AgentState restore(JsonNode checkpoint, JsonNode progress) {
        AgentState s = new AgentState();
        if (checkpoint != null && !checkpoint.isNull() && !checkpoint.isMissingNode()) {
            Checkpoint c = Json.mapper().convertValue(checkpoint, Checkpoint.class);
            s.stepsTaken = c.stepsTaken();
            s.activeMillis = c.activeMillis();
            s.failedSteps = c.failedSteps();
            s.corrections = c.corrections();
            s.started = c.started();
            s.memory = c.memory() == null ? new ArrayList<>() : new ArrayList<>(c.memory());
            s.earlier = c.earlier() == null ? new ArrayList<>() : new ArrayList<>(c.earlier());
            s.earlierDropped = c.earlierDropped();
            s.pending = c.pending();
            s.extracted = c.extracted() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(c.extracted());
        }
        BigDecimal exactCost = checkpoint != null && checkpoint.has("cost") ? checkpoint.get("cost").decimalValue()
                : null;
        if (progress != null && progress.isObject()) {
            s.steps = array(progress.get("steps"));
            JsonNode usage = progress.path("usage");
            s.promptTokens = usage.path("prompt_tokens").asLong(0);
            s.completionTokens = usage.path("completion_tokens").asLong(0);
            // the checkpoint keeps the unrounded sum; the progress only the rounded one
            s.cost = exactCost != null ? exactCost : usage.has("cost") ? usage.get("cost").decimalValue()
                    : BigDecimal.ZERO;
            s.replay = array(progress.get("replay"));
            JsonNode data = progress.path("data");
            s.files = array(data.get("files"));
            s.message = data.path("message").isTextual() ? data.get("message").textValue() : null;
            s.output = data.get("output");
            s.truncated = data.path("truncated").asBoolean(false);
        }
        return s;
    }

    private static ArrayNode array(JsonNode n) {
        return n != null && n.isArray() ? ((ArrayNode) n).deepCopy() : Json.mapper().createArrayNode();
    }

    /** The loop's private half: memory and counters. */
    public JsonNode checkpointJson() {
        return Json.mapper().valueToTree(new Checkpoint(stepsTaken, activeMillis, failedSteps, corrections, started,
                memory, earlier, earlierDropped, pending, extracted, cost));
    }

    /**
     * The callers' half: {@code steps}, {@code usage} (seed 001's fields), {@code replay} (a seed-000 action
     * list), {@code question} while a person is asked, and {@code data} ({@code message}, {@code output},
     * {@code files}, {@code truncated}). The network log is the engine's, kept with the task.
     */
    public ObjectNode progressJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        o.set("steps", steps.deepCopy());
        o.set("usage", usageJson());
        o.set("replay", replay.deepCopy());
        if (pending != null) {
            o.put("question", pending.question());
        }
        ObjectNode data = o.putObject("data");
        if (message != null) {
            data.put("message", message);
        }
        if (output != null) {
            data.set("output", output);
        }
        data.set("files", files.deepCopy());
        if (truncated) {
            data.put("truncated", true);
        }
        return o;
    }

    private ObjectNode usageJson() {
        ObjectNode u = Json.mapper().createObjectNode();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        u.put("completion_time", activeMillis / 1000.0);
        u.put("cost", dev.tabrunner.llm.ModelInfo.rounded(cost));
        return u;
    }

    /** True once the task has opened its starting page (or taken the session's). */
    public boolean started() {
        return started;
    }

    public int stepsTaken() {
        return stepsTaken;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long completionTokens() {
        return completionTokens;
    }

    /** The question waiting for a person, or null. */
    public String pendingQuestion() {
        return pending == null ? null : pending.question();
    }

    public String message() {
        return message;
    }

    public JsonNode output() {
        return output;
    }

    public boolean truncated() {
        return truncated;
    }

    /** The actions the agent ran, as a seed-000 action list. */
    public ArrayNode replay() {
        return replay.deepCopy();
    }

    public ArrayNode steps() {
        return steps.deepCopy();
    }
}
