package dev.tabrunner.llm;

import java.util.List;

/**
 * The model's turn.
 *
 * @param text         what the model wrote besides tool calls (may be empty)
 * @param inputTokens  tokens the provider billed for the prompt
 * @param outputTokens tokens the provider billed for the answer
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, long inputTokens, long outputTokens,
                           StopReason stopReason) {
    public enum StopReason {
        /** The model finished its turn. */
        END_TURN,
        /** The model stopped to have its tool calls run. */
        TOOL_USE,
        /** The answer reached the output token bound and was cut. */
        MAX_TOKENS,
        /** The provider withheld or cut the answer (content filter, guardrail). */
        CONTENT_FILTERED,
        OTHER
    }

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}
