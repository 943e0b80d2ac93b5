package dev.tabrunner.browseruse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.FastApiErrorFormat;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.http.RequestProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The v1 run-task body checked as browser-use (FastAPI) checks it: defaults, bounds, every problem at once. */
class BrowserUseV1RequestTest {
    private static final String SECRET = "s3cr3t-value-never-shown";

    private static BrowserUseV1Request parse(String json) {
        return BrowserUseV1Request.parse(json);
    }

    /** The problems a body is refused with. */
    private static List<RequestProblem> problems(String json) {
        try {
            parse(json);
        } catch (RequestProblems e) {
            return e.problems();
        }
        throw new AssertionError("accepted: " + json);
    }

    private static RequestProblem only(String json) {
        List<RequestProblem> found = problems(json);
        assertThat(found).as(json).hasSize(1);
        return found.get(0);
    }

    private static String withTask(String fields) {
        return "{\"task\":\"find the price\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    @Test
    void aTaskAlone_getsEveryDocumentedDefault() {
        BrowserUseV1Request r = parse(withTask(""));

        assertThat(r.task()).isEqualTo("find the price");
        assertThat(r.secrets()).isEmpty();
        assertThat(r.allowedDomains()).isEmpty();
        assertThat(r.browserProfileId()).isNull();
        assertThat(r.saveBrowserData()).isFalse();
        assertThat(r.structuredOutput()).isNull();
        assertThat(r.llmModel()).isEqualTo("gpt-4.1");
        assertThat(r.useAdblock()).isTrue();
        assertThat(r.useProxy()).isTrue();
        assertThat(r.useProxyGiven()).isFalse();
        assertThat(r.proxyCountryCode()).isEqualTo("us");
        assertThat(r.proxyCountryGiven()).isFalse();
        assertThat(r.highlightElements()).isTrue();
        assertThat(r.includedFileNames()).isEmpty();
        assertThat(r.viewportWidth()).isEqualTo(1280);
        assertThat(r.viewportHeight()).isEqualTo(960);
        assertThat(r.maxAgentSteps()).isEqualTo(75);
        assertThat(r.enablePublicShare()).isFalse();
        assertThat(r.metadata()).isEmpty();
    }

    @Test
    void everyField_isReadAsGiven() {
        BrowserUseV1Request r = parse(withTask("\"secrets\":{\"password\":\"" + SECRET + "\"},"
                + "\"allowed_domains\":[\"example.com\",\".shop.example\"],\"browser_profile_id\":\"work-1\","
                + "\"save_browser_data\":true,\"structured_output_json\":\"{\\\"type\\\":\\\"object\\\"}\","
                + "\"llm_model\":\"gpt-4o-mini\",\"use_adblock\":false,\"use_proxy\":false,"
                + "\"proxy_country_code\":\"de\",\"highlight_elements\":false,"
                + "\"included_file_names\":[\"a.txt\",\"b.csv\",\"a.txt\"],\"browser_viewport_width\":800,"
                + "\"browser_viewport_height\":600,\"max_agent_steps\":200,\"enable_public_share\":true,"
                + "\"metadata\":{\"campaign\":\"q4-automation\",\"team\":\"marketing\"}"));

        assertThat(r.secrets()).containsExactly(Map.entry("password", SECRET));
        assertThat(r.allowedDomains()).containsExactly("example.com", ".shop.example");
        assertThat(r.browserProfileId()).isEqualTo("work-1");
        assertThat(r.saveBrowserData()).isTrue();
        assertThat(r.structuredOutput().path("type").asText()).isEqualTo("object");
        assertThat(r.llmModel()).isEqualTo("gpt-4o-mini");
        assertThat(r.useAdblock()).isFalse();
        assertThat(r.useProxy()).isFalse();
        assertThat(r.useProxyGiven()).isTrue();
        assertThat(r.proxyCountryCode()).isEqualTo("de");
        assertThat(r.proxyCountryGiven()).isTrue();
        assertThat(r.highlightElements()).isFalse();
        assertThat(r.includedFileNames()).as("a name given twice is one file").containsExactly("a.txt", "b.csv");
        assertThat(r.viewportWidth()).isEqualTo(800);
        assertThat(r.viewportHeight()).isEqualTo(600);
        assertThat(r.maxAgentSteps()).isEqualTo(200);
        assertThat(r.enablePublicShare()).isTrue();
        assertThat(r.metadata()).containsExactly(Map.entry("campaign", "q4-automation"),
                Map.entry("team", "marketing"));
    }

    @Test
    void nullFields_areLeftAtTheirDefaults() {
        BrowserUseV1Request r = parse(withTask("\"llm_model\":null,\"max_agent_steps\":null,\"use_proxy\":null,"
                + "\"metadata\":null,\"secrets\":null"));

        assertThat(r.llmModel()).isEqualTo("gpt-4.1");
        assertThat(r.maxAgentSteps()).isEqualTo(75);
        assertThat(r.useProxy()).isTrue();
        assertThat(r.useProxyGiven()).isFalse();
        assertThat(r.metadata()).isEmpty();
        assertThat(r.secrets()).isEmpty();
    }

    @Test
    void theBody_mustBeAJsonObject() {
        assertThat(only("")).isEqualTo(new RequestProblem(List.of("body"), "Field required", "missing"));
        assertThat(only("[1]")).isEqualTo(new RequestProblem(List.of("body"),
                "Input should be a valid dictionary or object to extract fields from", "model_attributes_type"));
        RequestProblem malformed = only("{\"task\": ");
        assertThat(malformed.loc().get(0)).isEqualTo("body");
        assertThat(malformed.loc()).hasSize(2);
        assertThat(malformed.msg()).isEqualTo("JSON decode error");
        assertThat(malformed.type()).isEqualTo("json_invalid");
    }

    @Test
    void aBodyOverTheLimit_isRefusedAs413() {
        String big = withTask("\"metadata\":{\"k\":\"" + "x".repeat(RequestBodies.MAX_JSON_BYTES) + "\"}");
        assertThatThrownBy(() -> parse(big)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void task_isRequired_notBlank_andBounded() {
        assertThat(only("{}")).isEqualTo(new RequestProblem(List.of("body", "task"), "Field required", "missing"));
        assertThat(only("{\"task\":\"\"}")).isEqualTo(new RequestProblem(List.of("body", "task"),
                "String should have at least 1 character", "string_too_short"));
        assertThat(only("{\"task\":\"   \"}").type()).isEqualTo("value_error");
        assertThat(only("{\"task\":7}")).isEqualTo(new RequestProblem(List.of("body", "task"),
                "Input should be a valid string", "string_type"));
        String tooLong = "x".repeat(AgentTaskRequestParser.MAX_TASK_DETAILS + 1);
        assertThat(only("{\"task\":\"" + tooLong + "\"}").type()).isEqualTo("string_too_long");
        assertThat(parse("{\"task\":\"" + tooLong.substring(1) + "\"}").task()).hasSize(
                AgentTaskRequestParser.MAX_TASK_DETAILS);
    }

    @Test
    void anUnknownField_isForbidden() {
        assertThat(only(withTask("\"colour\":\"blue\""))).isEqualTo(new RequestProblem(List.of("body", "colour"),
                "Extra inputs are not permitted", "extra_forbidden"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"save_browser_data", "use_adblock", "use_proxy", "highlight_elements",
            "enable_public_share"})
    void booleans_mustBeBooleans(String field) {
        assertThat(only(withTask("\"" + field + "\":\"yes\""))).isEqualTo(new RequestProblem(List.of("body", field),
                "Input should be a valid boolean", "bool_type"));
    }

    @Test
    void maxAgentSteps_isAnIntegerFrom1To200() {
        assertThat(parse(withTask("\"max_agent_steps\":1")).maxAgentSteps()).isEqualTo(1);
        assertThat(only(withTask("\"max_agent_steps\":0"))).isEqualTo(new RequestProblem(
                List.of("body", "max_agent_steps"), "Input should be greater than or equal to 1",
                "greater_than_equal"));
        assertThat(only(withTask("\"max_agent_steps\":201"))).isEqualTo(new RequestProblem(
                List.of("body", "max_agent_steps"), "Input should be less than or equal to 200", "less_than_equal"));
        assertThat(only(withTask("\"max_agent_steps\":2.5")).type()).isEqualTo("int_type");
        assertThat(only(withTask("\"max_agent_steps\":\"10\"")).type()).isEqualTo("int_type");
        assertThat(only(withTask("\"max_agent_steps\":99999999999999999999")).type())
                .as("a number past int's range is not wrapped into the range").isEqualTo("less_than_equal");
        assertThat(only(withTask("\"max_agent_steps\":-99999999999999999999")).type())
                .isEqualTo("greater_than_equal");
    }

    @Test
    void wholeNumbersWrittenAsFloats_areIntegers_asPydanticReadsThem() {
        BrowserUseV1Request r = parse(withTask("\"max_agent_steps\":75.0,\"browser_viewport_width\":1.28e3,"
                + "\"browser_viewport_height\":960.0"));
        assertThat(r.maxAgentSteps()).isEqualTo(75);
        assertThat(r.viewportWidth()).isEqualTo(1280);
        assertThat(r.viewportHeight()).isEqualTo(960);
    }

    /**
     * Seed 002's own example, exactly as written: of its placeholders only those whose types demand a real value
     * are refused ({@code "<string>"} is no domain and no JSON Schema); its viewport of 123 and its proxy fields
     * are accepted.
     */
    @Test
    void theSeedExampleAsWritten_isRefusedOnlyForItsPlaceholders() {
        List<String> locs = problems(dev.tabrunner.it.SeedExamples.V1_RUN_TASK).stream()
                .map(p -> p.loc().toString()).toList();

        assertThat(locs).containsExactlyInAnyOrder("[body, allowed_domains, 0]", "[body, structured_output_json]");
    }

    @Test
    void theSeedExample_withThosePlaceholdersFilledIn_isAccepted_viewportAndAll() {
        BrowserUseV1Request r = parse(dev.tabrunner.it.SeedExamples.v1RunTaskFilledIn("[\"example.com\"]",
                "{\"type\":\"object\"}", "[\"orders.csv\"]"));

        assertThat(r.viewportWidth()).isEqualTo(123);
        assertThat(r.viewportHeight()).isEqualTo(123);
        assertThat(r.maxAgentSteps()).isEqualTo(123);
        assertThat(r.useProxy()).isTrue();
        assertThat(r.proxyCountryCode()).isEqualTo("us");
        assertThat(r.task()).isEqualTo("<string>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"browser_viewport_width", "browser_viewport_height"})
    void viewportSides_areBoundedLikeANativeSession(String field) {
        assertThat(parse(withTask("\"" + field + "\":" + Viewport.MIN))).isNotNull();
        assertThat(parse(withTask("\"" + field + "\":" + Viewport.MAX))).isNotNull();
        assertThat(only(withTask("\"" + field + "\":" + (Viewport.MIN - 1))).type()).isEqualTo("greater_than_equal");
        assertThat(only(withTask("\"" + field + "\":" + (Viewport.MAX + 1))).type()).isEqualTo("less_than_equal");
    }

    @Test
    void llmModel_isOneOfTheDocumentedModels() {
        for (String model : BrowserUseV1Request.MODELS) {
            assertThat(parse(withTask("\"llm_model\":\"" + model + "\"")).llmModel()).isEqualTo(model);
        }
        RequestProblem p = only(withTask("\"llm_model\":\"gpt-5\""));
        assertThat(p.loc()).containsExactly("body", "llm_model");
        assertThat(p.type()).isEqualTo("enum");
        assertThat(p.msg()).isEqualTo("Input should be 'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini',"
                + " 'gemini-2.5-flash' or 'claude-sonnet-4-20250514'");
    }

    @Test
    void proxyCountryCode_isOneOfTheDocumentedCountries() {
        assertThat(parse(withTask("\"proxy_country_code\":\"jp\"")).proxyCountryCode()).isEqualTo("jp");
        RequestProblem p = only(withTask("\"proxy_country_code\":\"US\""));
        assertThat(p.loc()).containsExactly("body", "proxy_country_code");
        assertThat(p.type()).isEqualTo("enum");
    }

    @Test
    void browserProfileId_isANameOfLettersDigitsAndPunctuation() {
        assertThat(only(withTask("\"browser_profile_id\":\"../etc\"")).type()).isEqualTo("value_error");
        assertThat(only(withTask("\"browser_profile_id\":\"" + "p".repeat(129) + "\"")).type())
                .isEqualTo("string_too_long");
        assertThat(only(withTask("\"browser_profile_id\":\"\"")).type()).isEqualTo("string_too_short");
    }

    @Test
    void allowedDomains_areDomainsInAList() {
        assertThat(only(withTask("\"allowed_domains\":\"example.com\""))).isEqualTo(new RequestProblem(
                List.of("body", "allowed_domains"), "Input should be a valid list", "list_type"));
        assertThat(only(withTask("\"allowed_domains\":[\"http://\"]")).loc())
                .containsExactly("body", "allowed_domains", 0);
        assertThat(only(withTask("\"allowed_domains\":[\"ok.example\",5]"))).isEqualTo(new RequestProblem(
                List.of("body", "allowed_domains", 1), "Input should be a valid string", "string_type"));
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "\"d" + i + ".example\"")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(only(withTask("\"allowed_domains\":" + tooMany)).type()).isEqualTo("too_long");
    }

    @Test
    void includedFileNames_areAtMost20Names() {
        String tooMany = IntStream.range(0, AgentTaskRequestParser.MAX_FILES + 1).mapToObj(i -> "\"f" + i + "\"")
                .collect(Collectors.joining(",", "[", "]"));
        assertThat(only(withTask("\"included_file_names\":" + tooMany)).type()).isEqualTo("too_long");
        assertThat(only(withTask("\"included_file_names\":[\"\"]")).loc())
                .containsExactly("body", "included_file_names", 0);
    }

    @Test
    void structuredOutputJson_isAJsonSchemaWrittenAsAString() {
        assertThat(only(withTask("\"structured_output_json\":{\"type\":\"object\"}")).type())
                .isEqualTo("string_type");
        assertThat(only(withTask("\"structured_output_json\":\"{not json\"")).type()).isEqualTo("value_error");
        assertThat(only(withTask("\"structured_output_json\":\"[1]\"")).msg()).contains("JSON Schema object");
        assertThat(only(withTask("\"structured_output_json\":\"{\\\"type\\\":\\\"no-such-type\\\"}\"")).msg())
                .startsWith("Value error, not a valid JSON Schema");
    }

    @Test
    void metadata_isAtMost10PairsOfBoundedStrings() {
        String eleven = IntStream.range(0, 11).mapToObj(i -> "\"k" + i + "\":\"v\"")
                .collect(Collectors.joining(",", "{", "}"));
        assertThat(only(withTask("\"metadata\":" + eleven)).msg()).contains("at most 10 pairs");
        assertThat(only(withTask("\"metadata\":[]")).type()).isEqualTo("dict_type");
        assertThat(only(withTask("\"metadata\":{\"\":\"v\"}")).loc()).containsExactly("body", "metadata");
        assertThat(only(withTask("\"metadata\":{\"" + "k".repeat(101) + "\":\"v\"}")).type())
                .isEqualTo("value_error");
        assertThat(only(withTask("\"metadata\":{\"k\":\"" + "v".repeat(1001) + "\"}"))).isEqualTo(
                new RequestProblem(List.of("body", "metadata", "k"), "String should have at most 1000 characters",
                        "string_too_long"));
        assertThat(only(withTask("\"metadata\":{\"k\":1}")).type()).isEqualTo("string_type");
        assertThat(parse(withTask("\"metadata\":{\"k\":\"\"}")).metadata()).containsEntry("k", "");
    }

    @Test
    void secrets_areNamedStrings_ofAtLeast4Characters() {
        assertThat(only(withTask("\"secrets\":[\"x\"]")).type()).isEqualTo("dict_type");
        assertThat(only(withTask("\"secrets\":{\"1bad\":\"" + SECRET + "\"}")).loc())
                .containsExactly("body", "secrets");
        assertThat(only(withTask("\"secrets\":{\"pin\":\"123\"}"))).satisfies(p -> {
            assertThat(p.loc()).containsExactly("body", "secrets", "pin");
            assertThat(p.type()).isEqualTo("value_error");
        });
        assertThat(only(withTask("\"secrets\":{\"pin\":1234}")).type()).isEqualTo("string_type");
        String tooMany = IntStream.range(0, AgentTaskRequestParser.MAX_SECRETS + 1)
                .mapToObj(i -> "\"s" + i + "\":\"" + SECRET + "\"").collect(Collectors.joining(",", "{", "}"));
        assertThat(only(withTask("\"secrets\":" + tooMany)).type()).isEqualTo("too_long");
    }

    @Test
    void aSecretValue_isNeverEchoed_inAProblem_orInTheRequestsText() {
        String tooLong = "v".repeat(AgentTaskRequestParser.MAX_SECRET_VALUE) + SECRET;
        List<RequestProblem> found = problems(withTask("\"secrets\":{\"long\":\"" + tooLong + "\","
                + "\"bad name\":\"" + SECRET + "\",\"short\":\"" + SECRET.substring(0, 3) + "\"}"));
        String everything = found.toString();
        assertThat(found).hasSize(3);
        assertThat(everything).doesNotContain(SECRET);
        assertThat(found).extracting(RequestProblem::msg).noneMatch(m -> m.contains(SECRET.substring(0, 3)));

        BrowserUseV1Request r = parse(withTask("\"secrets\":{\"password\":\"" + SECRET + "\"}"));
        assertThat(r.toString()).contains("password").doesNotContain(SECRET);
    }

    @Test
    void aMalformedBodyWithASecret_isNotQuoted() {
        RequestProblems e = (RequestProblems) catchThrowable(
                () -> parse("{\"task\":\"t\",\"secrets\":{\"password\":\"" + SECRET + "\"}, oops}"));
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(e.problems().get(0).msg()).isEqualTo("JSON decode error");
    }

    @Test
    void severalProblems_areReportedAtOnce_inTheOrderOfTheFields() {
        List<RequestProblem> found = problems("{\"colour\":\"blue\",\"max_agent_steps\":0,\"use_adblock\":1,"
                + "\"llm_model\":\"gpt-5\",\"browser_viewport_width\":99999}");

        assertThat(found).extracting(RequestProblem::loc).containsExactly(List.of("body", "colour"),
                List.of("body", "task"), List.of("body", "llm_model"), List.of("body", "use_adblock"),
                List.of("body", "browser_viewport_width"), List.of("body", "max_agent_steps"));
        assertThat(found).extracting(RequestProblem::type).containsExactly("extra_forbidden", "missing", "enum",
                "bool_type", "less_than_equal", "greater_than_equal");
    }

    @Test
    void severalProblems_areAnswered422_withEveryOneInTheDetailList() throws Exception {
        RequestProblems e = (RequestProblems) catchThrowable(() -> parse("{\"max_agent_steps\":0,"
                + "\"secrets\":{\"pw\":\"abc\"}}"));

        var answer = FastApiErrorFormat.INSTANCE.problems(e.problems());

        assertThat(answer.status()).isEqualTo(422);
        assertThat(new ObjectMapper().writeValueAsString(answer.body()))
                .isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"task\"],\"msg\":\"Field required\","
                        + "\"type\":\"missing\"},{\"loc\":[\"body\",\"secrets\",\"pw\"],\"msg\":\"Value error, a"
                        + " secret must have at least 4 characters: shorter values cannot be kept out of results"
                        + " reliably\",\"type\":\"value_error\"},{\"loc\":[\"body\",\"max_agent_steps\"],"
                        + "\"msg\":\"Input should be greater than or equal to 1\",\"type\":\"greater_than_equal\"}]}");
    }
}
