package dev.tabrunner.browserusev2;

import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.http.RequestProblems;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class V2TaskRequestTest {
    private static List<String> locs(String body) {
        RequestProblems e = catchThrowableOfType(RequestProblems.class, () -> V2TaskRequest.parse(body));
        assertThat(e).as("refused: " + body).isNotNull();
        return e.problems().stream().map(p -> String.join(".", p.loc().stream().map(String::valueOf).toList()))
                .toList();
    }

    private static List<RequestProblem> problems(String body) {
        return catchThrowableOfType(RequestProblems.class, () -> V2TaskRequest.parse(body)).problems();
    }

    @Test
    void theTaskAlone_takesBrowserUsesDefaults_inASessionMadeForIt() {
        V2TaskRequest r = V2TaskRequest.parse("{\"task\":\"Find the price\"}");

        assertThat(r.maxSteps()).isEqualTo(100);
        assertThat(r.llm()).isNull();
        assertThat(r.sessionId()).isNull();
        assertThat(r.settings().proxy()).isEqualTo(V2SessionRequest.Proxy.DEFAULT);
        assertThat(r.settings().keepAlive()).isFalse();
        assertThat(r.highlightElements()).isFalse();
        assertThat(r.systemPromptExtension()).isEmpty();
    }

    @Test
    void browserUsesOwnModels_runTheDeploymentsDefault_andAnotherKnownModelIsKept() {
        assertThat(V2TaskRequest.parse("{\"task\":\"x\",\"llm\":\"browser-use-2.0\"}").llm()).isNull();
        assertThat(V2TaskRequest.parse("{\"task\":\"x\",\"llm\":\"gpt-4.1\"}").llm()).isEqualTo("gpt-4.1");
        assertThat(locs("{\"task\":\"x\",\"llm\":\"gpt-0\"}")).containsExactly("body.llm");
    }

    @Test
    void whatIsNotOffered_isRefusedWhenSetToAnythingButItsDefault_everyProblemAtOnce() {
        assertThat(V2TaskRequest.parse("{\"task\":\"x\",\"flashMode\":false,\"thinking\":false,\"judge\":false,"
                + "\"vision\":\"auto\",\"skillIds\":[],\"opVaultId\":null}").task()).isEqualTo("x");

        List<RequestProblem> p = problems("{\"task\":\"x\",\"flashMode\":true,\"thinking\":true,\"thinkingLevel\":"
                + "\"low\",\"judge\":true,\"judgeGroundTruth\":\"y\",\"judgeLlm\":\"gpt-4.1\",\"skillIds\":[\"*\"],"
                + "\"opVaultId\":\"v\",\"vision\":false,\"sessionSettings\":{\"enableRecording\":true}}");

        assertThat(p).extracting(x -> String.join(".", x.loc().stream().map(String::valueOf).toList()))
                .containsExactlyInAnyOrder("body.flashMode", "body.thinking", "body.thinkingLevel", "body.judge",
                        "body.judgeGroundTruth", "body.judgeLlm", "body.skillIds", "body.opVaultId", "body.vision",
                        "body.sessionSettings.enableRecording");
        assertThat(p).allSatisfy(x -> assertThat(x.msg()).contains("not offered"));
    }

    @Test
    void unknownFields_areRefused_notIgnored() {
        assertThat(locs("{\"task\":\"x\",\"includedFileNames\":[\"a\"],\"sessionSettings\":{\"timeout\":5}}"))
                .containsExactlyInAnyOrder("body.includedFileNames", "body.sessionSettings.timeout");
    }

    @Test
    void sessionSettings_withASessionId_isRefused_forTheSessionHasItsOwn() {
        assertThat(locs("{\"task\":\"x\",\"sessionId\":\"s1\",\"sessionSettings\":{\"profileId\":\"p\"}}"))
                .containsExactly("body.sessionSettings");
    }

    @Test
    void sessionSettings_areRead_andANullProxyMeansADirectConnection() {
        V2TaskRequest r = V2TaskRequest.parse("{\"task\":\"x\",\"sessionSettings\":{\"profileId\":\"shop\","
                + "\"proxyCountryCode\":null,\"browserScreenWidth\":1024,\"browserScreenHeight\":700}}");

        assertThat(r.settings().profileId()).isEqualTo("shop");
        assertThat(r.settings().proxy()).isEqualTo(new V2SessionRequest.Proxy(true, null));
        assertThat(r.settings().viewport().width()).isEqualTo(1024);
        assertThat(r.settings().viewport().height()).isEqualTo(700);
        assertThat(locs("{\"task\":\"x\",\"sessionSettings\":{\"proxyCountryCode\":\"USA\"}}"))
                .containsExactly("body.sessionSettings.proxyCountryCode");
    }

    @Test
    void structuredOutput_mustBeAJsonSchemaWrittenAsAString() {
        assertThat(V2TaskRequest.parse("{\"task\":\"x\",\"structuredOutput\":\"{\\\"type\\\":\\\"object\\\"}\"}")
                .structuredOutput().get("type").asText()).isEqualTo("object");
        assertThat(locs("{\"task\":\"x\",\"structuredOutput\":\"not json\"}")).containsExactly(
                "body.structuredOutput");
        assertThat(locs("{\"task\":\"x\",\"structuredOutput\":{\"type\":\"object\"}}")).containsExactly(
                "body.structuredOutput");
    }

    @Test
    void aShortSecret_isRefusedWithoutQuotingItsValue() {
        List<RequestProblem> p = problems("{\"task\":\"x\",\"secrets\":{\"pw\":\"abc\"}}");

        assertThat(p).hasSize(1);
        assertThat(p.get(0).msg()).contains("pw").doesNotContain("abc");
        assertThat(V2TaskRequest.parse("{\"task\":\"x\",\"secrets\":{\"pw\":\"hunter2-but-longer\"}}").toString())
                .doesNotContain("hunter2");
    }

    @Test
    void theSystemPromptExtension_followsTheTask_inWhatTheAgentIsTold() {
        V2TaskRequest r = V2TaskRequest.parse("{\"task\":\"Buy milk\",\"systemPromptExtension\":\"Be brief.\","
                + "\"startUrl\":\"https://example.com\"}");

        var body = r.toAgentBody("https://ignored.example", List.of("a.txt"), true);

        assertThat(body.get("taskDetails").asText()).startsWith("Buy milk").endsWith("Be brief.");
        assertThat(body.get("startingUrl").asText()).isEqualTo("https://example.com");
        assertThat(body.get("files").toString()).isEqualTo("[\"a.txt\"]");
        assertThat(body.get("terminateOnCompletion").asBoolean()).isTrue();
    }

    @Test
    void aMissingOrBlankTask_andABodyThatIsNoObject_areRefused() {
        assertThat(locs("{}")).containsExactly("body.task");
        assertThat(locs("{\"task\":\"  \"}")).containsExactly("body.task");
        assertThat(locs("[]")).containsExactly("body");
        assertThat(locs("{\"task\":\"x\",\"maxSteps\":0}")).containsExactly("body.maxSteps");
    }
}
