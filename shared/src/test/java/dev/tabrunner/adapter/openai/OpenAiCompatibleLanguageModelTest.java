package dev.tabrunner.adapter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ChatMessage;
import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.ToolCall;
import dev.tabrunner.llm.ToolSpec;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Call;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenAiCompatibleLanguageModelTest {
    private final ScriptedModelServer server = ScriptedModelServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiCompatibleLanguageModel model(String key, String header, int attempts) {
        return new OpenAiCompatibleLanguageModel(URI.create(server.baseUrl()), () -> key, header,
                HttpClient.newHttpClient(), attempts, Duration.ofMillis(10), Duration.ofMillis(200));
    }

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private static ChatRequest request(List<ChatMessage> messages, boolean requireTool) throws Exception {
        ToolSpec click = new ToolSpec("click", "Click an element", json("{\"type\":\"object\",\"properties\":"
                + "{\"index\":{\"type\":\"integer\"}},\"required\":[\"index\"]}"));
        return new ChatRequest("gpt-4o-mini", messages, List.of(click), requireTool, 256, 0.0,
                Duration.ofSeconds(5));
    }

    @Test
    void sendsMessagesToolsAndImages_andReadsToolCallsAndUsage() throws Exception {
        server.then(Reply.tools(Call.of("click", "{\"index\":3}"), Call.of("click", "{\"index\":4}"))
                .withContent("clicking twice").withUsage(1234, 56));
        ChatMessage.Image image = new ChatMessage.Image("image/jpeg", "AAEC");
        ChatResponse r = model("sk-test", null, 1).chat(request(List.of(
                ChatMessage.system("You drive a browser."),
                ChatMessage.user("Task: log in"),
                ChatMessage.assistant("", List.of(new ToolCall("call_1", "click", json("{\"index\":1}")))),
                ChatMessage.toolResult("call_1", "ok"),
                ChatMessage.user("Page: ...", image)), true));

        assertThat(r.text()).isEqualTo("clicking twice");
        assertThat(r.toolCalls()).extracting(ToolCall::name).containsExactly("click", "click");
        assertThat(r.toolCalls().get(1).arguments().get("index").asInt()).isEqualTo(4);
        assertThat(r.inputTokens()).isEqualTo(1234);
        assertThat(r.outputTokens()).isEqualTo(56);
        assertThat(r.stopReason()).isEqualTo(ChatResponse.StopReason.TOOL_USE);

        JsonNode sent = server.requests().get(0);
        assertThat(server.authorizations()).containsExactly("Bearer sk-test");
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(sent.get("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("click");
        assertThat(sent.at("/tools/0/function/parameters/required/0").asText()).isEqualTo("index");
        JsonNode messages = sent.get("messages");
        assertThat(messages.findValuesAsText("role")).containsExactly("system", "user", "assistant", "tool",
                "user");
        assertThat(messages.at("/2/content").isNull()).isTrue();
        assertThat(messages.at("/2/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(messages.at("/2/tool_calls/0/function/arguments").asText()).isEqualTo("{\"index\":1}");
        assertThat(messages.at("/3/tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.at("/4/content/1/image_url/url").asText()).isEqualTo("data:image/jpeg;base64,AAEC");
    }

    @Test
    void textAnswer_andTruncatedToolArguments_areReported() throws Exception {
        server.then(Reply.text("all done"), Reply.tool("click", "{\"index\":").withFinishReason("length"));
        ChatResponse text = model(null, null, 1).chat(request(List.of(ChatMessage.user("hi")), false));
        assertThat(text.text()).isEqualTo("all done");
        assertThat(text.stopReason()).isEqualTo(ChatResponse.StopReason.END_TURN);
        assertThat(server.requests().get(0).get("tool_choice").asText()).isEqualTo("auto");
        assertThat(server.authorizations().get(0)).isNull();

        ChatResponse cut = model(null, null, 1).chat(request(List.of(ChatMessage.user("hi")), false));
        assertThat(cut.stopReason()).isEqualTo(ChatResponse.StopReason.MAX_TOKENS);
        assertThat(cut.toolCalls().get(0).arguments().isTextual()).isTrue();
    }

    @Test
    void throttlingAndFaults_areRetried_thenSucceed() throws Exception {
        server.then(Reply.error(429, "slow down").withHeader("Retry-After", "0"), Reply.error(503, "busy"),
                Reply.text("finally"));
        ChatResponse r = model("k", null, 4).chat(request(List.of(ChatMessage.user("hi")), false));
        assertThat(r.text()).isEqualTo("finally");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void retriesRunOut_withARetryableFailure() throws Exception {
        server.then(Reply.error(500, "down"), Reply.error(500, "down"));
        assertThatThrownBy(() -> model("k", null, 2).chat(request(List.of(ChatMessage.user("hi")), false)))
                .isInstanceOfSatisfying(LanguageModelException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("down");
                });
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void clientErrors_areNotRetried_andNeverEchoTheKey() throws Exception {
        server.then(Reply.error(401, "Incorrect API key provided"));
        assertThatThrownBy(() -> model("sk-secret-key", null, 4).chat(request(List.of(ChatMessage.user("hi")),
                false)))
                .isInstanceOfSatisfying(LanguageModelException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("Incorrect API key").doesNotContain("sk-secret-key");
                });
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void unreachableEndpoint_isRetryable() throws Exception {
        server.close();
        assertThatThrownBy(() -> model("k", null, 2).chat(request(List.of(ChatMessage.user("hi")), false)))
                .isInstanceOfSatisfying(LanguageModelException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.status()).isZero();
                });
    }

    @Test
    void azureStyle_keyHeaderAndQueryString() throws Exception {
        server.then(Reply.text("ok"));
        OpenAiCompatibleLanguageModel azure = new OpenAiCompatibleLanguageModel(
                URI.create(server.baseUrl() + "/deployments/gpt-4o?api-version=2024-10-21"), () -> "azure-key",
                "api-key", HttpClient.newHttpClient(), 1, Duration.ofMillis(10), Duration.ofMillis(10));
        assertThat(azure.chat(request(List.of(ChatMessage.user("hi")), false)).text()).isEqualTo("ok");
        assertThat(server.authorizations().get(0)).isNull();
        assertThat(OpenAiCompatibleLanguageModel.chatCompletions(URI.create(
                "https://x.openai.azure.com/openai/deployments/gpt-4o/?api-version=2024-10-21")).toString())
                .isEqualTo("https://x.openai.azure.com/openai/deployments/gpt-4o/chat/completions"
                        + "?api-version=2024-10-21");
    }
}
