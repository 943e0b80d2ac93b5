package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.ToolCall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the agent keeps of its steps, in its {@link AgentState}: the model's memory (the last steps verbatim, older
 * ones as one summary line each, so prompts stay bounded), the step log callers see, and a person's answer put in
 * both where the question was asked. Nothing kept holds a secret value.
 */
final class AgentMemory {
    /** Bound of a step's reasoning in the step log, which is stored with the task (a DynamoDB item holds 400 KB). */
    private static final int MAX_REASONING = 300;

    private final TaskSecrets secrets;
    private final AgentSettings settings;
    private final Clock clock;
    private final UnaryOperator<String> conceal;

    AgentMemory(TaskSecrets secrets, AgentSettings settings, Clock clock, UnaryOperator<String> conceal) {
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
        this.conceal = conceal;
    }

    /** Keeps the last steps verbatim and shrinks older ones to a line each, so prompts stay bounded. */
    void remember(AgentState state, int number, String reasoning, ChatResponse response, List<String> results,
                  boolean cut) {
        List<ToolCall> calls = new ArrayList<>();
        for (ToolCall c : response.toolCalls()) {
            calls.add(new ToolCall(c.id(), c.name(), secrets.conceal(c.arguments())));
        }
        List<String> kept = new ArrayList<>();
        for (String r : results) {
            kept.add(Clip.text(r, Clip.MAX_TOOL_RESULT));
        }
        if (calls.isEmpty()) {
            kept = List.of(cut ? "Your answer was cut off. Answer with short tool calls."
                    : "You must act by calling a tool; call done when the task is finished.");
        }
        state.memory.add(new AgentState.MemoryEntry(number, reasoning, calls, kept));
        while (state.memory.size() > settings.memorySteps()) {
            AgentState.MemoryEntry old = state.memory.remove(0);
            state.earlier.add(summary(old));
            while (state.earlier.size() > settings.maxSummaryLines()) {
                state.earlier.remove(0);
                state.earlierDropped++;
            }
        }
    }

    private static String summary(AgentState.MemoryEntry m) {
        StringBuilder b = new StringBuilder("step ").append(m.step()).append(':');
        for (int i = 0; i < m.calls().size(); i++) {
            ToolCall c = m.calls().get(i);
            b.append(' ').append(c.name()).append(Clip.text(c.arguments().toString(), 160)).append(" -> ")
                    .append(Clip.text(i < m.results().size() ? m.results().get(i) : "", 160)).append(';');
        }
        if (m.calls().isEmpty()) {
            b.append(" (no action)");
        }
        return b.toString();
    }

    void recordStep(AgentState state, int number, Instant began, String urlBefore, String urlAfter, String reasoning,
                    ArrayNode actionLog, String screenshotId, ChatResponse response) {
        ObjectNode s = state.steps.addObject();
        s.put("step", number);
        s.put("startedAt", began.toString());
        s.put("durationMs", Duration.between(began, clock.instant()).toMillis());
        s.put("url", conceal.apply(urlBefore));
        if (!urlAfter.equals(urlBefore)) {
            s.put("urlAfter", conceal.apply(urlAfter));
        }
        s.put("reasoning", Clip.text(reasoning, MAX_REASONING));
        s.set("actions", actionLog);
        if (screenshotId != null) {
            s.put("screenshotArtifactId", screenshotId);
        }
        s.putObject("tokens").put("input", response.inputTokens()).put("output", response.outputTokens());
    }

    void answer(AgentState state, String answer) {
        AgentState.PendingQuestion q = state.pending;
        String text = "The user answered: " + (answer == null ? "" : answer);
        for (AgentState.MemoryEntry m : state.memory) {
            if (m.step() == q.step()) {
                for (int i = 0; i < m.calls().size(); i++) {
                    if (m.calls().get(i).id().equals(q.toolCallId())) {
                        m.results().set(i, conceal.apply(text));
                    }
                }
            }
        }
        for (JsonNode s : state.steps) {
            if (s.path("step").asInt() == q.step()) {
                ((ObjectNode) s).put("answer", conceal.apply(answer == null ? "" : answer));
            }
        }
        state.pending = null;
    }
}
