package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentTaskRequestParserTest {
    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private static void refused(String body, String field) {
        assertThatThrownBy(() -> AgentTaskRequestParser.parse(json(body)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void recording_isKeptWhenGiven_inTheStoredFormToo() throws Exception {
        AgentTaskRequest given = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\",\"recording\":false}"))
                .request();
        assertThat(given.recording()).isFalse();
        assertThat(AgentTaskRequestParser.parseStored(given.toJson()).recording()).isFalse();
        AgentTaskRequest silent = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\"}")).request();
        assertThat(silent.recording()).isNull();
        assertThat(silent.toJson().has("recording")).isFalse();
        refused("{\"taskDetails\":\"x\",\"recording\":1}", "recording");
    }

    @Test
    void defaults_followSeed001() throws Exception {
        AgentTaskRequest r = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"Find the price\"}")).request();
        assertThat(r.maxDurationMs()).isEqualTo(300_000);
        assertThat(r.maxInputTokens()).isEqualTo(100_000);
        assertThat(r.maxOutputTokens()).isEqualTo(100_000);
        assertThat(r.maxSteps()).isEqualTo(75);
        assertThat(r.startingUrl()).isNull();
        assertThat(r.terminateOnCompletion()).isFalse();
        assertThat(r.secretNames()).isEmpty();
        assertThat(r.files()).isEmpty();
        assertThat(r.outputSchema()).isNull();
        assertThat(r.model()).isNull();
    }

    @Test
    void everyField_isReadAndTheStoredFormHasNoSecretValues() throws Exception {
        AgentTaskRequestParser.Parsed p = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"Log in\","
                + "\"maxDuration\":60000,\"maxInputTokens\":5000,\"maxOutputTokens\":700,\"maxSteps\":12,"
                + "\"startingUrl\":\"https://example.com/login\",\"terminateOnCompletion\":true,"
                + "\"secrets\":[{\"name\":\"password\",\"value\":\"s3cr3t-value\"}],\"files\":[\"a.csv\"],"
                + "\"environmentId\":\"env-1\",\"outputSchema\":{\"type\":\"object\"},\"model\":\"gpt-4o\"}"));
        AgentTaskRequest r = p.request();
        assertThat(r.maxDurationMs()).isEqualTo(60_000);
        assertThat(r.maxSteps()).isEqualTo(12);
        assertThat(r.secretNames()).containsExactly("password");
        assertThat(p.secrets().values()).containsEntry("password", "s3cr3t-value");
        JsonNode stored = r.toJson();
        assertThat(stored.toString()).doesNotContain("s3cr3t-value");
        AgentTaskRequest again = AgentTaskRequestParser.parseStored(stored);
        assertThat(again).isEqualTo(r);
    }

    @Test
    void badInput_namesTheField() {
        refused("{}", "taskDetails");
        refused("{\"taskDetails\":\"   \"}", "taskDetails");
        refused("{\"taskDetails\":\"x\",\"maxDuration\":300001}", "maxDuration");
        refused("{\"taskDetails\":\"x\",\"maxDuration\":999}", "maxDuration");
        refused("{\"taskDetails\":\"x\",\"maxInputTokens\":0}", "maxInputTokens");
        refused("{\"taskDetails\":\"x\",\"maxOutputTokens\":\"many\"}", "maxOutputTokens");
        refused("{\"taskDetails\":\"x\",\"maxSteps\":201}", "maxSteps");
        refused("{\"taskDetails\":\"x\",\"startingUrl\":\"file:///etc/passwd\"}", "startingUrl");
        refused("{\"taskDetails\":\"x\",\"secrets\":{\"a\":\"b\"}}", "secrets");
        refused("{\"taskDetails\":\"x\",\"secrets\":[{\"name\":\"p\",\"value\":\"abc\"}]}", "secrets[0].value");
        refused("{\"taskDetails\":\"x\",\"secrets\":[{\"name\":\"p w\",\"value\":\"abcd\"}]}", "secrets[0].name");
        refused("{\"taskDetails\":\"x\",\"secrets\":[{\"name\":\"p\",\"value\":\"abcd\"},{\"name\":\"p\","
                + "\"value\":\"efgh\"}]}", "secrets[1].name");
        refused("{\"taskDetails\":\"x\",\"files\":[3]}", "files[0]");
        refused("{\"taskDetails\":\"x\",\"outputSchema\":{\"type\":\"objekt\"}}", "outputSchema");
        refused("{\"taskDetails\":\"x\",\"outputSchema\":\"{}\"}", "outputSchema");
        refused("{\"taskDetails\":\"x\",\"actions\":[]}", "actions");
        refused("{\"taskDetails\":\"x\",\"model\":\"\"}", "model");
    }

    @Test
    void wholeNumbers_inAnyJsonSpelling_areAccepted() throws Exception {
        // seed 001 writes maxDuration as a number; 300000.0 is what many JSON writers send for it
        AgentTaskRequest r = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\",\"maxDuration\":300000.0,"
                + "\"maxInputTokens\":1e5,\"maxOutputTokens\":100000.0,\"maxSteps\":75.0}")).request();
        assertThat(r.maxDurationMs()).isEqualTo(300_000);
        assertThat(r.maxInputTokens()).isEqualTo(100_000);
        assertThat(r.maxOutputTokens()).isEqualTo(100_000);
        assertThat(r.maxSteps()).isEqualTo(75);
        refused("{\"taskDetails\":\"x\",\"maxDuration\":300000.5}", "maxDuration");
        refused("{\"taskDetails\":\"x\",\"maxDuration\":3.000001e5}", "maxDuration");
    }

    @Test
    void allowedDomains_areBrowserUseV1s_andReachTheTasksBrowsingRules() throws Exception {
        AgentTaskRequest r = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\","
                + "\"allowedDomains\":[\"shop.example.com\",\".example.org\",\"*.example.net\"]}")).request();
        assertThat(r.browsing().allowedDomains()).containsExactly("shop.example.com", ".example.org",
                "*.example.net");
        assertThat(AgentTaskRequestParser.parseStored(r.toJson()).browsing()).isEqualTo(r.browsing());
        assertThat(AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\"}")).request().browsing())
                .isEqualTo(dev.tabrunner.domain.BrowsingOptions.NONE);
        refused("{\"taskDetails\":\"x\",\"allowedDomains\":\"example.com\"}", "allowedDomains");
        refused("{\"taskDetails\":\"x\",\"allowedDomains\":[\"exa mple.com\"]}", "allowedDomains[0]");
        refused("{\"taskDetails\":\"x\",\"allowedDomains\":[\"example.com\",7]}", "allowedDomains[1]");
    }

    @Test
    void secretValue_neverAppearsInAnError() {
        assertThatThrownBy(() -> AgentTaskRequestParser.parse(json("{\"taskDetails\":\"x\",\"secrets\":"
                + "[{\"name\":\"p\",\"value\":\"abc\"}]}"))).message().doesNotContain("abc\"");
    }

    @Test
    void storedForm_keepsWhatADialectSet_aThreeHourLimitAndWhereFilesGo() throws Exception {
        AgentTaskRequest r = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"Browse\"}")).request()
                .withMaxDuration(AgentTaskRequestParser.MAX_STORED_DURATION_MS)
                .withArtifacts(new AgentArtifacts("browsing", new AgentArtifacts.FinalScreenshot(false)));

        JsonNode stored = r.toJson();
        AgentTaskRequest again = AgentTaskRequestParser.parseStored(stored);

        assertThat(again).isEqualTo(r);
        assertThat(again.maxDurationMs()).isEqualTo(10_800_000);
        assertThat(again.artifacts().keyPrefix()).isEqualTo("browsing");
        assertThat(again.artifacts().finalScreenshot().fullPage()).isFalse();
        assertThat(AgentTaskRequestParser.parseStored(r.withMaxDuration(1).toJson()).maxDurationMs()).isEqualTo(1);
        // a request that asked for nothing stores nothing of it, and reads back as the default
        AgentTaskRequest plain = AgentTaskRequestParser.parse(json("{\"taskDetails\":\"Browse\"}")).request();
        assertThat(plain.toJson().has("artifacts")).isFalse();
        assertThat(AgentTaskRequestParser.parseStored(plain.toJson()).artifacts()).isEqualTo(AgentArtifacts.DEFAULT);
    }

    @Test
    void callersBody_keepsSeed001sRange_andCannotSetWhereFilesGo() {
        refused("{\"taskDetails\":\"x\",\"maxDuration\":10800000}", "maxDuration");
        refused("{\"taskDetails\":\"x\",\"artifacts\":{\"keyPrefix\":\"browsing\"}}", "artifacts");
    }

    @Test
    void storedForm_withAMalformedKeyPrefix_isRefused() throws Exception {
        JsonNode stored = json("{\"taskDetails\":\"x\",\"artifacts\":{\"keyPrefix\":\"../tasks\"}}");

        assertThatThrownBy(() -> AgentTaskRequestParser.parseStored(stored))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("artifacts"));
    }
}
