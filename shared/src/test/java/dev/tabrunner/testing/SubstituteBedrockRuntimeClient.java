package dev.tabrunner.testing;

import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeServiceClientConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An in-JVM stand-in for Amazon Bedrock's runtime client: records each Converse request and answers with canned
 * Converse responses (or throws the SDK exception it was given), in order.
 */
public final class SubstituteBedrockRuntimeClient implements BedrockRuntimeClient {
    private final Deque<Function<ConverseRequest, ConverseResponse>> replies = new ArrayDeque<>();
    private final List<ConverseRequest> requests = new ArrayList<>();

    public synchronized SubstituteBedrockRuntimeClient reply(ConverseResponse response) {
        replies.add(r -> response);
        return this;
    }

    public synchronized SubstituteBedrockRuntimeClient reply(Function<ConverseRequest, ConverseResponse> response) {
        replies.add(response);
        return this;
    }

    public synchronized SubstituteBedrockRuntimeClient fail(RuntimeException e) {
        replies.add(r -> {
            throw e;
        });
        return this;
    }

    public synchronized List<ConverseRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        Function<ConverseRequest, ConverseResponse> next;
        synchronized (this) {
            requests.add(request);
            next = replies.poll();
        }
        if (next == null) {
            throw new AssertionError("no canned Converse response left");
        }
        return next.apply(request);
    }

    public static ConverseResponse toolUse(String id, String name, Map<String, Document> input, String text,
                                           int inputTokens, int outputTokens) {
        List<ContentBlock> content = new ArrayList<>();
        if (text != null) {
            content.add(ContentBlock.fromText(text));
        }
        content.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(id).name(name)
                .input(Document.fromMap(input)).build()));
        return response(content, StopReason.TOOL_USE, inputTokens, outputTokens);
    }

    public static ConverseResponse text(String text, StopReason stop, int inputTokens, int outputTokens) {
        return response(List.of(ContentBlock.fromText(text)), stop, inputTokens, outputTokens);
    }

    public static ConverseResponse response(List<ContentBlock> content, StopReason stop, int inputTokens,
                                            int outputTokens) {
        return ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                        .content(content).build()))
                .stopReason(stop)
                .usage(TokenUsage.builder().inputTokens(inputTokens).outputTokens(outputTokens)
                        .totalTokens(inputTokens + outputTokens).build())
                .build();
    }

    @Override
    public String serviceName() {
        return "bedrock";
    }

    @Override
    public BedrockRuntimeServiceClientConfiguration serviceClientConfiguration() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
