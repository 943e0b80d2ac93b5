package dev.tabrunner.browseruse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.json.Json;
import dev.tabrunner.json.JsonNumbers;
import dev.tabrunner.json.JsonSchemas;
import dev.tabrunner.llm.ModelCatalog;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The body of browser-use v1's {@code POST /api/v1/run-task} (seeds 002 and 004), checked field by field the way
 * that service checks it: every problem is reported at once, as {@code {"loc", "msg", "type"}} entries, and every
 * documented default is applied.
 */
record BrowserUseV1Request(String task, Map<String, String> secrets, List<String> allowedDomains,
                           String browserProfileId, boolean saveBrowserData, JsonNode structuredOutput,
                           String llmModel, boolean useAdblock, boolean useProxy, boolean useProxyGiven,
                           String proxyCountryCode, boolean proxyCountryGiven, boolean highlightElements,
                           List<String> includedFileNames, int viewportWidth, int viewportHeight, int maxAgentSteps,
                           boolean enablePublicShare, Map<String, String> metadata) {
    static final List<String> MODELS = List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gemini-2.5-flash",
            "claude-sonnet-4-20250514");
    static final String DEFAULT_MODEL = "gpt-4.1";
    static final int DEFAULT_WIDTH = 1280;
    static final int DEFAULT_HEIGHT = 960;
    static final int MAX_METADATA_PAIRS = 10;
    static final int MAX_METADATA_KEY = 100;
    static final int MAX_METADATA_VALUE = 1000;
    private static final Set<String> FIELDS = Set.of("task", "secrets", "allowed_domains", "browser_profile_id",
            "save_browser_data", "structured_output_json", "llm_model", "use_adblock", "use_proxy",
            "proxy_country_code", "highlight_elements", "included_file_names", "browser_viewport_width",
            "browser_viewport_height", "max_agent_steps", "enable_public_share", "metadata");

    static {
        // the v1 model list must stay routable: every option is one the model table prices
        for (String m : MODELS) {
            if (ModelCatalog.BUILT_IN.find(m).isEmpty()) {
                throw new IllegalStateException("model " + m + " is missing from the model table");
            }
        }
    }

    /**
     * Reads the raw body; never quotes a secret value in a message.
     *
     * @throws RequestProblems listing every problem
     */
    static BrowserUseV1Request parse(String body) {
        if (body != null && body.length() > RequestBodies.MAX_JSON_BYTES) {
            throw new ApiException(413, "body_too_large", "JSON bodies are limited to " + RequestBodies.MAX_JSON_BYTES
                    + " bytes");
        }
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? 0 : e.getLocation().getCharOffset();
            throw RequestProblems.of(List.of("body", at < 0 ? 0 : at), "JSON decode error", "json_invalid");
        }
        if (root == null) {
            throw RequestProblems.of(List.of("body"), "Field required", "missing");
        }
        if (!root.isObject()) {
            throw RequestProblems.of(List.of("body"), "Input should be a valid dictionary or object to extract fields"
                    + " from", "model_attributes_type");
        }
        return new Reader((ObjectNode) root).read();
    }

    /** The request with its secrets' names only: a record's own toString would show their values. */
    @Override
    public String toString() {
        return "BrowserUseV1Request[task=" + task + ", secrets=" + secrets.keySet() + ", llmModel=" + llmModel
                + ", maxAgentSteps=" + maxAgentSteps + "]";
    }

    /** The agent's own request fields (the native form), which the agent parser checks once more. */
    ObjectNode toAgentBody() {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("taskDetails", task);
        o.put("maxSteps", maxAgentSteps);
        o.put("model", llmModel);
        var s = o.putArray("secrets");
        secrets.forEach((name, value) -> s.addObject().put("name", name).put("value", value));
        var f = o.putArray("files");
        includedFileNames.forEach(f::add);
        if (structuredOutput != null) {
            o.set("outputSchema", structuredOutput);
        }
        return o;
    }

    private static final class Reader {
        private final ObjectNode body;
        private final List<RequestProblem> problems = new ArrayList<>();

        Reader(ObjectNode body) {
            this.body = body;
        }

        BrowserUseV1Request read() {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!FIELDS.contains(name)) {
                    problem(List.of("body", name), "Extra inputs are not permitted", "extra_forbidden");
                }
            }
            String task = string("task", true, 1, AgentTaskRequestParser.MAX_TASK_DETAILS);
            if (task != null && task.isBlank()) {
                problem(List.of("body", "task"), "Value error, the task must describe what to do", "value_error");
            }
            Map<String, String> secrets = secrets();
            List<String> domains = domains();
            String profile = string("browser_profile_id", false, 1, 128);
            if (profile != null && !BrowserProfile.ID.matcher(profile).matches()) {
                problem(List.of("body", "browser_profile_id"), "Value error, a profile id is 1-128 letters, digits,"
                        + " '.', '_' or '-', starting with a letter or digit", "value_error");
            }
            boolean save = bool("save_browser_data", false);
            JsonNode schema = schema();
            String model = choice("llm_model", MODELS, DEFAULT_MODEL);
            boolean adblock = bool("use_adblock", true);
            boolean useProxy = bool("use_proxy", true);
            String country = choice("proxy_country_code", UpstreamProxies.COUNTRIES, "us");
            boolean highlight = bool("highlight_elements", true);
            List<String> files = files();
            int width = integer("browser_viewport_width", DEFAULT_WIDTH, Viewport.MIN, Viewport.MAX);
            int height = integer("browser_viewport_height", DEFAULT_HEIGHT, Viewport.MIN, Viewport.MAX);
            int steps = integer("max_agent_steps", AgentTaskRequestParser.DEFAULT_MAX_STEPS, 1,
                    AgentTaskRequestParser.MAX_STEPS_LIMIT);
            boolean share = bool("enable_public_share", false);
            Map<String, String> metadata = metadata();
            if (!problems.isEmpty()) {
                throw new RequestProblems(problems);
            }
            return new BrowserUseV1Request(task, secrets, domains, profile, save, schema, model, adblock, useProxy,
                    present("use_proxy"), country, present("proxy_country_code"), highlight, files, width, height,
                    steps, share, metadata);
        }

        private boolean present(String field) {
            return body.hasNonNull(field);
        }

        private void problem(List<Object> loc, String msg, String type) {
            problems.add(new RequestProblem(loc, msg, type));
        }

        private String string(String field, boolean required, int min, int max) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                if (required) {
                    problem(List.of("body", field), "Field required", "missing");
                }
                return null;
            }
            return checkString(List.of("body", field), v, min, max);
        }

        private String checkString(List<Object> loc, JsonNode v, int min, int max) {
            if (!v.isTextual()) {
                problem(loc, "Input should be a valid string", "string_type");
                return null;
            }
            String s = v.textValue();
            if (s.length() < min) {
                problem(loc, "String should have at least " + min + " character" + (min == 1 ? "" : "s"),
                        "string_too_short");
                return null;
            }
            if (s.length() > max) {
                problem(loc, "String should have at most " + max + " characters", "string_too_long");
                return null;
            }
            return s;
        }

        private boolean bool(String field, boolean fallback) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                problem(List.of("body", field), "Input should be a valid boolean", "bool_type");
                return fallback;
            }
            return v.booleanValue();
        }

        /** An integer as pydantic reads one: {@code 123}, and {@code 123.0} or {@code 1.23e2} (a whole float). */
        private int integer(String field, int fallback, int min, int max) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber()) {
                problem(List.of("body", field), "Input should be a valid integer", "int_type");
                return fallback;
            }
            Optional<BigInteger> n = JsonNumbers.integral(v);
            if (n.isEmpty()) {
                problem(List.of("body", field), "Input should be a valid integer, got a number with a fractional"
                        + " part", "int_type");
                return fallback;
            }
            if (n.get().compareTo(BigInteger.valueOf(min)) < 0) {
                problem(List.of("body", field), "Input should be greater than or equal to " + min,
                        "greater_than_equal");
                return fallback;
            }
            if (n.get().compareTo(BigInteger.valueOf(max)) > 0) {
                problem(List.of("body", field), "Input should be less than or equal to " + max, "less_than_equal");
                return fallback;
            }
            return n.get().intValueExact();
        }

        private String choice(String field, List<String> options, String fallback) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual() || !options.contains(v.textValue())) {
                String list = options.stream().map(o -> "'" + o + "'").collect(Collectors.joining(", "));
                int last = list.lastIndexOf(", ");
                problem(List.of("body", field), "Input should be " + list.substring(0, last) + " or"
                        + list.substring(last + 1), "enum");
                return fallback;
            }
            return v.textValue();
        }

        private Map<String, String> secrets() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode v = body.get("secrets");
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isObject()) {
                problem(List.of("body", "secrets"), "Input should be a valid dictionary", "dict_type");
                return out;
            }
            if (v.size() > AgentTaskRequestParser.MAX_SECRETS) {
                problem(List.of("body", "secrets"), "Dictionary should have at most "
                        + AgentTaskRequestParser.MAX_SECRETS + " items", "too_long");
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<Object> loc = List.of("body", "secrets", e.getKey());
                if (!TaskSecrets.NAME.matcher(e.getKey()).matches()) {
                    problem(List.of("body", "secrets"), "Value error, a secret's name must start with a letter or"
                            + " '_' and hold at most 64 letters, digits, '_', '.' and '-'", "value_error");
                    continue;
                }
                // checked without quoting: the message never carries the value
                if (!e.getValue().isTextual()) {
                    problem(loc, "Input should be a valid string", "string_type");
                } else if (e.getValue().textValue().length() < TaskSecrets.MIN_VALUE_LENGTH) {
                    problem(loc, "Value error, a secret must have at least " + TaskSecrets.MIN_VALUE_LENGTH
                            + " characters: shorter values cannot be kept out of results reliably", "value_error");
                } else if (e.getValue().textValue().length() > AgentTaskRequestParser.MAX_SECRET_VALUE) {
                    problem(loc, "String should have at most " + AgentTaskRequestParser.MAX_SECRET_VALUE
                            + " characters", "string_too_long");
                } else {
                    out.put(e.getKey(), e.getValue().textValue());
                }
            }
            return out;
        }

        private List<String> stringList(String field, int maxItems) {
            List<String> out = new ArrayList<>();
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isArray()) {
                problem(List.of("body", field), "Input should be a valid list", "list_type");
                return out;
            }
            if (v.size() > maxItems) {
                problem(List.of("body", field), "List should have at most " + maxItems + " items after validation,"
                        + " not " + v.size(), "too_long");
                return out;
            }
            for (int i = 0; i < v.size(); i++) {
                String s = checkString(List.of("body", field, i), v.get(i), 1, 255);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }

        private List<String> domains() {
            List<String> out = new ArrayList<>();
            List<String> given = stringList("allowed_domains", DomainAllowList.MAX_ENTRIES);
            for (int i = 0; i < given.size(); i++) {
                if (DomainAllowList.normalize(given.get(i)).isEmpty()) {
                    problem(List.of("body", "allowed_domains", i), "Value error, '" + given.get(i) + "' is not a"
                            + " domain: write example.com for that host, .example.com for it and its subdomains",
                            "value_error");
                } else {
                    out.add(given.get(i));
                }
            }
            return out;
        }

        private List<String> files() {
            List<String> out = new ArrayList<>();
            for (String name : stringList("included_file_names", AgentTaskRequestParser.MAX_FILES)) {
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
            return out;
        }

        private JsonNode schema() {
            String text = string("structured_output_json", false, 1, AgentTaskRequestParser.MAX_SCHEMA_CHARS);
            if (text == null) {
                return null;
            }
            List<Object> loc = List.of("body", "structured_output_json");
            JsonNode schema;
            try {
                schema = Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                problem(loc, "Value error, structured_output_json must be a JSON Schema written as a JSON string",
                        "value_error");
                return null;
            }
            if (schema == null || !schema.isObject()) {
                problem(loc, "Value error, structured_output_json must be a JSON Schema object", "value_error");
                return null;
            }
            try {
                JsonSchemas.compile(schema);
            } catch (JsonSchemas.InvalidSchemaException e) {
                problem(loc, "Value error, not a valid JSON Schema: " + e.getMessage(), "value_error");
                return null;
            }
            return schema;
        }

        private Map<String, String> metadata() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode v = body.get("metadata");
            if (v == null || v.isNull()) {
                return out;
            }
            if (!v.isObject()) {
                problem(List.of("body", "metadata"), "Input should be a valid dictionary", "dict_type");
                return out;
            }
            if (v.size() > MAX_METADATA_PAIRS) {
                problem(List.of("body", "metadata"), "Value error, metadata holds at most " + MAX_METADATA_PAIRS
                        + " pairs, not " + v.size(), "value_error");
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().isEmpty() || e.getKey().length() > MAX_METADATA_KEY) {
                    problem(List.of("body", "metadata"), "Value error, metadata keys must have 1 to "
                            + MAX_METADATA_KEY + " characters", "value_error");
                    continue;
                }
                String value = checkString(List.of("body", "metadata", e.getKey()), e.getValue(), 0,
                        MAX_METADATA_VALUE);
                if (value != null) {
                    out.put(e.getKey(), value);
                }
            }
            return out;
        }
    }
}
