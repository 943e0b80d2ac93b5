package dev.tabrunner.llm;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation. A closed set of shapes, told apart by {@link #role()}:
 * system and user text (a user message may carry one image), an assistant turn with text and/or tool calls, and
 * the result of one tool call.
 *
 * @param image      a user message's image, or null
 * @param toolCalls  the tool calls of an assistant turn (empty otherwise)
 * @param toolCallId for {@link Role#TOOL}: the id of the call this message answers
 */
public record ChatMessage(Role role, String text, Image image, List<ToolCall> toolCalls, String toolCallId) {
    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    /** An image as the providers take it: base64 bytes and a media type ({@code image/png}, {@code image/jpeg}). */
    public record Image(String mediaType, String base64) {
        public Image {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(base64, "base64");
        }

        @Override
        public String toString() {
            return "Image[" + mediaType + ", " + base64.length() + " base64 characters]";
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (role == Role.TOOL && toolCallId == null) {
            throw new IllegalArgumentException("a tool result needs the id of its tool call");
        }
        if (role != Role.USER && image != null) {
            throw new IllegalArgumentException("only user messages carry images");
        }
        if (role != Role.ASSISTANT && !toolCalls.isEmpty()) {
            throw new IllegalArgumentException("only assistant messages carry tool calls");
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, null, List.of(), null);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, null, List.of(), null);
    }

    public static ChatMessage user(String text, Image image) {
        return new ChatMessage(Role.USER, text, image, List.of(), null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, text, null, toolCalls, null);
    }

    public static ChatMessage toolResult(String toolCallId, String text) {
        return new ChatMessage(Role.TOOL, text, null, List.of(), toolCallId);
    }
}
