package dev.tabrunner.adapter.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ChatMessage;
import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.ToolCall;
import dev.tabrunner.llm.ToolSpec;
import dev.tabrunner.testing.SubstituteBedrockRuntimeClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BedrockConverseLanguageModelTest {
    private final SubstituteBedrockRuntimeClient client = new SubstituteBedrockRuntimeClient();
    private final BedrockConverseLanguageModel model = new BedrockConverseLanguageModel(client);

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private static ChatRequest request(List<ChatMessage> messages) throws Exception {
        ToolSpec type = new ToolSpec("type", "Type text", json("{\"type\":\"object\",\"properties\":"
                + "{\"index\":{\"type\":\"integer\"},\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}"));
        return new ChatRequest("us.anthropic.claude-sonnet-4-20250514-v1:0", messages, List.of(type), true, 512,
                0.2, Duration.ofSeconds(30));
    }

    @Test
    void converseRequest_carriesSystemToolsAndAlternatingTurns() throws Exception {
        client.reply(SubstituteBedrockRuntimeClient.toolUse("tu_9", "type",
                Map.of("index", Document.fromNumber(2), "text", Document.fromString("<secret>pw</secret>")),
                "typing the password", 900, 40));
        ChatResponse r = model.chat(request(List.of(
                ChatMessage.system("You drive a browser."),
                ChatMessage.user("Task: log in"),
                ChatMessage.assistant("looking", List.of(new ToolCall("tu_1", "type",
                        json("{\"index\":1,\"text\":\"ada\"}")), new ToolCall("tu_2", "type",
                        json("{\"index\":2,\"text\":\"x\"}")))),
                ChatMessage.toolResult("tu_1", "ok"),
                ChatMessage.toolResult("tu_2", "selector_not_found"),
                ChatMessage.user("Page now:", new ChatMessage.Image("image/png", "iVBORw0KGgo=")))));

        assertThat(r.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("tu_9");
            assertThat(c.arguments().get("index").asInt()).isEqualTo(2);
            assertThat(c.arguments().get("text").asText()).isEqualTo("<secret>pw</secret>");
        });
        assertThat(r.text()).isEqualTo("typing the password");
        assertThat(r.inputTokens()).isEqualTo(900);
        assertThat(r.outputTokens()).isEqualTo(40);
        assertThat(r.stopReason()).isEqualTo(ChatResponse.StopReason.TOOL_USE);

        ConverseRequest sent = client.requests().get(0);
        assertThat(sent.modelId()).isEqualTo("us.anthropic.claude-sonnet-4-20250514-v1:0");
        assertThat(sent.system()).singleElement().satisfies(s -> assertThat(s.text()).contains("browser"));
        assertThat(sent.inferenceConfig().maxTokens()).isEqualTo(512);
        assertThat(sent.toolConfig().toolChoice().any()).isNotNull();
        assertThat(sent.toolConfig().tools().get(0).toolSpec().inputSchema().json().asMap().get("required")
                .asList().get(0).asString()).isEqualTo("text");
        List<Message> turns = sent.messages();
        assertThat(turns).extracting(Message::role).containsExactly(ConversationRole.USER,
                ConversationRole.ASSISTANT, ConversationRole.USER);
        List<ContentBlock> assistant = turns.get(1).content();
        assertThat(assistant.get(0).text()).isEqualTo("looking");
        assertThat(assistant.get(1).toolUse().input().asMap().get("text").asString()).isEqualTo("ada");
        List<ContentBlock> last = turns.get(2).content();
        assertThat(last.get(0).toolResult().toolUseId()).isEqualTo("tu_1");
        assertThat(last.get(1).toolResult().content().get(0).text()).isEqualTo("selector_not_found");
        assertThat(last.get(2).text()).isEqualTo("Page now:");
        assertThat(last.get(3).image().format()).isEqualTo(ImageFormat.PNG);
    }

    @Test
    void blankAssistantText_isLeftOut_andEndTurnIsReported() throws Exception {
        client.reply(SubstituteBedrockRuntimeClient.text("done", StopReason.END_TURN, 10, 2));
        model.chat(request(List.of(ChatMessage.user("a"), ChatMessage.assistant("", List.of(
                new ToolCall("t", "type", json("{\"text\":\"q\"}")))), ChatMessage.toolResult("t", ""))));
        ConverseRequest sent = client.requests().get(0);
        assertThat(sent.messages().get(1).content()).singleElement().satisfies(b ->
                assertThat(b.toolUse()).isNotNull());
        assertThat(sent.messages().get(2).content().get(0).toolResult().content().get(0).text())
                .isEqualTo("(empty)");
    }

    @Test
    void maxTokens_isReported() throws Exception {
        client.reply(SubstituteBedrockRuntimeClient.text("cut sho", StopReason.MAX_TOKENS, 10, 512));
        assertThat(model.chat(request(List.of(ChatMessage.user("a")))).stopReason())
                .isEqualTo(ChatResponse.StopReason.MAX_TOKENS);
    }

    @Test
    void throttling_isRetryable_validationIsNot() throws Exception {
        client.fail(ThrottlingException.builder().message("Too many requests").statusCode(429).build());
        assertThatThrownBy(() -> model.chat(request(List.of(ChatMessage.user("a")))))
                .isInstanceOfSatisfying(LanguageModelException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.status()).isEqualTo(429);
                });
        client.fail(ValidationException.builder().message("The model is not supported").statusCode(400).build());
        assertThatThrownBy(() -> model.chat(request(List.of(ChatMessage.user("a")))))
                .isInstanceOfSatisfying(LanguageModelException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("not supported");
                });
    }

    @Test
    void documents_roundTripJson() throws Exception {
        JsonNode original = json("{\"a\":[1,2.5,true,null,\"x\"],\"b\":{\"c\":12345678901234}}");
        assertThat(BedrockConverseLanguageModel.fromDocument(BedrockConverseLanguageModel.toDocument(original)))
                .isEqualTo(original);
    }
}
