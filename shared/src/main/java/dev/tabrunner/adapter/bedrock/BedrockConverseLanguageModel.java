package dev.tabrunner.adapter.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ChatMessage;
import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.ToolCall;
import dev.tabrunner.llm.ToolSpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Amazon Bedrock through the Converse API, with tool use. The SDK client retries throttling and faults itself
 * (its standard retry mode); what is still failing afterwards becomes a {@link LanguageModelException}.
 */
public final class BedrockConverseLanguageModel implements LanguageModel {
    private final BedrockRuntimeClient client;

    public BedrockConverseLanguageModel(BedrockRuntimeClient client) {
        this.client = client;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ConverseResponse response;
        try {
            response = client.converse(converseRequest(request));
        } catch (ThrottlingException | ServiceUnavailableException | InternalServerException
                 | ModelTimeoutException | ModelNotReadyException e) {
            throw failure(e, true);
        } catch (BedrockRuntimeException e) {
            throw failure(e, e.statusCode() == 429 || e.statusCode() >= 500);
        } catch (SdkClientException e) {
            throw new LanguageModelException("Bedrock could not be reached: " + e.getClass().getSimpleName(), 0,
                    true, e);
        }
        return toChatResponse(response);
    }

    private static LanguageModelException failure(BedrockRuntimeException e, boolean retryable) {
        String detail = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String code = e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        return new LanguageModelException("Bedrock answered " + e.statusCode() + " " + code + ": " + detail,
                e.statusCode(), retryable, e);
    }

    static ConverseRequest converseRequest(ChatRequest request) {
        List<SystemContentBlock> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        ConversationRole role = null;
        List<ContentBlock> blocks = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                system.add(SystemContentBlock.fromText(m.text()));
                continue;
            }
            // Converse wants user and assistant turns to alternate: tool results travel in a user turn, and
            // consecutive messages of one role are merged into one turn
            ConversationRole next = m.role() == ChatMessage.Role.ASSISTANT ? ConversationRole.ASSISTANT
                    : ConversationRole.USER;
            if (role != null && next != role && !blocks.isEmpty()) {
                messages.add(Message.builder().role(role).content(blocks).build());
                blocks = new ArrayList<>();
            }
            role = next;
            blocks.addAll(content(m));
        }
        if (role != null && !blocks.isEmpty()) {
            messages.add(Message.builder().role(role).content(blocks).build());
        }
        ConverseRequest.Builder b = ConverseRequest.builder().modelId(request.model()).messages(messages)
                .inferenceConfig(inference(request));
        if (!system.isEmpty()) {
            b.system(system);
        }
        if (!request.tools().isEmpty()) {
            List<Tool> tools = new ArrayList<>();
            for (ToolSpec t : request.tools()) {
                tools.add(Tool.fromToolSpec(ToolSpecification.builder().name(t.name()).description(t.description())
                        .inputSchema(ToolInputSchema.fromJson(toDocument(t.parameters()))).build()));
            }
            b.toolConfig(ToolConfiguration.builder().tools(tools)
                    .toolChoice(request.requireTool() ? ToolChoice.fromAny(a -> { })
                            : ToolChoice.fromAuto(a -> { }))
                    .build());
        }
        return b.build();
    }

    private static InferenceConfiguration inference(ChatRequest request) {
        InferenceConfiguration.Builder b = InferenceConfiguration.builder().maxTokens(request.maxOutputTokens());
        if (request.temperature() != null) {
            b.temperature(request.temperature().floatValue());
        }
        return b.build();
    }

    private static List<ContentBlock> content(ChatMessage m) {
        List<ContentBlock> out = new ArrayList<>();
        switch (m.role()) {
            case USER -> {
                if (m.text() != null && !m.text().isBlank()) {
                    out.add(ContentBlock.fromText(m.text()));
                }
                if (m.image() != null) {
                    out.add(ContentBlock.fromImage(ImageBlock.builder()
                            .format(m.image().mediaType().endsWith("png") ? ImageFormat.PNG : ImageFormat.JPEG)
                            .source(ImageSource.fromBytes(SdkBytes.fromByteArray(
                                    Base64.getDecoder().decode(m.image().base64()))))
                            .build()));
                }
            }
            case ASSISTANT -> {
                // Bedrock refuses blank text blocks
                if (m.text() != null && !m.text().isBlank()) {
                    out.add(ContentBlock.fromText(m.text()));
                }
                for (ToolCall c : m.toolCalls()) {
                    JsonNode input = c.arguments().isObject() ? c.arguments() : Json.mapper().createObjectNode();
                    out.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(c.id()).name(c.name())
                            .input(toDocument(input)).build()));
                }
            }
            case TOOL -> out.add(ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(m.toolCallId())
                    .content(ToolResultContentBlock.fromText(m.text() == null || m.text().isEmpty() ? "(empty)"
                            : m.text()))
                    .build()));
            default -> throw new IllegalStateException("unexpected role " + m.role());
        }
        return out;
    }

    static ChatResponse toChatResponse(ConverseResponse r) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        if (r.output() != null && r.output().message() != null) {
            for (ContentBlock b : r.output().message().content()) {
                if (b.text() != null) {
                    text.append(b.text());
                } else if (b.toolUse() != null) {
                    calls.add(new ToolCall(b.toolUse().toolUseId(), b.toolUse().name(),
                            fromDocument(b.toolUse().input())));
                }
            }
        }
        long in = r.usage() == null || r.usage().inputTokens() == null ? 0 : r.usage().inputTokens();
        long out = r.usage() == null || r.usage().outputTokens() == null ? 0 : r.usage().outputTokens();
        return new ChatResponse(text.toString(), calls, in, out, stopReason(r));
    }

    private static ChatResponse.StopReason stopReason(ConverseResponse r) {
        if (r.stopReason() == null) {
            return ChatResponse.StopReason.OTHER;
        }
        return switch (r.stopReason()) {
            case END_TURN, STOP_SEQUENCE -> ChatResponse.StopReason.END_TURN;
            case TOOL_USE -> ChatResponse.StopReason.TOOL_USE;
            case MAX_TOKENS -> ChatResponse.StopReason.MAX_TOKENS;
            case CONTENT_FILTERED, GUARDRAIL_INTERVENED -> ChatResponse.StopReason.CONTENT_FILTERED;
            default -> ChatResponse.StopReason.OTHER;
        };
    }

    static Document toDocument(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Document.fromNull();
        }
        if (n.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), toDocument(e.getValue()));
            }
            return Document.fromMap(map);
        }
        if (n.isArray()) {
            List<Document> list = new ArrayList<>();
            n.forEach(e -> list.add(toDocument(e)));
            return Document.fromList(list);
        }
        if (n.isBoolean()) {
            return Document.fromBoolean(n.booleanValue());
        }
        if (n.isIntegralNumber()) {
            return Document.fromNumber(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return Document.fromNumber(n.decimalValue());
        }
        return Document.fromString(n.asText());
    }

    static JsonNode fromDocument(Document d) {
        if (d == null || d.isNull()) {
            return Json.mapper().nullNode();
        }
        if (d.isMap()) {
            ObjectNode o = Json.mapper().createObjectNode();
            d.asMap().forEach((k, v) -> o.set(k, fromDocument(v)));
            return o;
        }
        if (d.isList()) {
            ArrayNode a = Json.mapper().createArrayNode();
            d.asList().forEach(v -> a.add(fromDocument(v)));
            return a;
        }
        if (d.isBoolean()) {
            return Json.mapper().getNodeFactory().booleanNode(d.asBoolean());
        }
        if (d.isNumber()) {
            try {
                return Json.mapper().readTree(d.asNumber().stringValue());
            } catch (JsonProcessingException e) {
                return Json.mapper().getNodeFactory().numberNode(new BigDecimal(d.asNumber().stringValue()));
            }
        }
        return Json.mapper().getNodeFactory().textNode(d.asString());
    }
}
