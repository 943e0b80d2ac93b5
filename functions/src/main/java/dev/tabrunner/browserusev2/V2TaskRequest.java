package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.json.Json;
import dev.tabrunner.json.JsonSchemas;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/v2/tasks} (the SDK's {@code CreateTaskRequest}): each field either honoured or
 * refused with a 422 that says why, every problem at once.
 *
 * @param llm      the model asked for, or null for the deployment's default (also for browser-use's own models,
 *                 which this server does not have)
 * @param settings the settings of the session made for the task; null when the task names {@code sessionId}
 */
record V2TaskRequest(String task, String llm, String startUrl, int maxSteps, JsonNode structuredOutput,
                     String sessionId, Map<String, String> metadata, Map<String, String> secrets,
                     List<String> allowedDomains, V2SessionRequest settings, boolean highlightElements,
                     String systemPromptExtension) {
    /** browser-use's {@code SupportedLLMs}, as the SDK lists them. */
    static final List<String> SUPPORTED_LLMS = List.of("browser-use-llm", "browser-use-2.0", "bu-2-0-mini-preview",
            "gpt-4.1", "gpt-4.1-mini", "o4-mini", "o3", "gpt-5.5", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna",
            "gemini-2.5-flash", "gemini-2.5-pro", "gemini-3-pro-preview", "gemini-3.1-pro-preview",
            "gemini-3-flash-preview", "gemini-3.5-flash", "gemini-flash-latest", "gemini-flash-lite-latest",
            "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929", "claude-sonnet-5", "claude-opus-4-5-20251101",
            "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "glm-5.2", "minimax-m3", "grok-4.6",
            "glm-5.3-flash", "deepseek-v4-flash-vision", "llama-4-maverick-17b-128e-instruct",
            "claude-3-7-sonnet-20250219");
    /** browser-use's own models: this server runs the deployment's default model in their place. */
    static final Set<String> OWN_MODELS = Set.of("browser-use-llm", "browser-use-2.0", "bu-2-0-mini-preview");
    static final int DEFAULT_MAX_STEPS = 100;
    static final int MAX_SYSTEM_PROMPT_EXTENSION = 4000;
    private static final Set<String> FIELDS = Set.of("task", "llm", "startUrl", "maxSteps", "structuredOutput",
            "sessionId", "metadata", "secrets", "allowedDomains", "opVaultId", "sessionSettings", "highlightElements",
            "flashMode", "thinking", "thinkingLevel", "vision", "systemPromptExtension", "judge", "judgeGroundTruth",
            "judgeLlm", "skillIds");

    /** @throws dev.tabrunner.http.RequestProblems listing every problem */
    static V2TaskRequest parse(String raw) {
        V2Body b = V2Body.parse(raw, false, FIELDS);
        String task = b.string("task", true, AgentTaskRequestParser.MAX_TASK_DETAILS);
        if (task != null && task.isBlank()) {
            b.problem("task", "Value error, the task must describe what to do", "value_error");
        }
        String llm = b.choice("llm", SUPPORTED_LLMS, null);
        String startUrl = b.string("startUrl", false, 2048);
        int maxSteps = b.integer("maxSteps", DEFAULT_MAX_STEPS, 1, AgentTaskRequestParser.MAX_STEPS_LIMIT);
        JsonNode schema = schema(b);
        String sessionId = b.string("sessionId", false, 128);
        Map<String, String> metadata = b.metadata("metadata");
        Map<String, String> secrets = secrets(b);
        List<String> domains = domains(b);
        b.notOffered("opVaultId", !b.hasValue("opVaultId"), "no 1Password vaults; pass values in secrets");
        V2SessionRequest settings = b.object("sessionSettings", V2SessionRequest.TASK_SETTINGS_FIELDS)
                .map(V2SessionRequest::forTask).orElse(null);
        if (settings != null && sessionId != null) {
            b.problem("sessionSettings", "Value error, sessionSettings configures the session made for a task;"
                    + " this task runs in session " + sessionId + ", which has its own settings", "value_error");
        }
        boolean highlight = b.bool("highlightElements", false);
        Boolean flash = b.bool("flashMode", false);
        b.notOffered("flashMode", !flash, "the agent has one mode");
        Boolean thinking = b.bool("thinking", false);
        b.notOffered("thinking", !thinking, "the model's reasoning settings are the deployment's");
        b.notOffered("thinkingLevel", !b.hasValue("thinkingLevel"), "the model's reasoning settings are the"
                + " deployment's");
        vision(b);
        String extension = b.string("systemPromptExtension", false, MAX_SYSTEM_PROMPT_EXTENSION);
        Boolean judge = b.bool("judge", false);
        b.notOffered("judge", !judge, "no judge");
        b.notOffered("judgeGroundTruth", !b.hasValue("judgeGroundTruth"), "no judge");
        b.notOffered("judgeLlm", !b.hasValue("judgeLlm"), "no judge");
        b.notOffered("skillIds", !b.hasValue("skillIds") || b.strings("skillIds", 100, 100).isEmpty(),
                "no skills");
        b.check();
        return new V2TaskRequest(task, llm == null || OWN_MODELS.contains(llm) ? null : llm, startUrl, maxSteps,
                schema, sessionId, metadata, secrets, domains, sessionId == null && settings == null
                ? V2SessionRequest.defaults() : settings, highlight, extension == null ? "" : extension);
    }

    /** The request with its secrets' names only: a record's own toString would show their values. */
    @Override
    public String toString() {
        return "V2TaskRequest[task=" + task + ", secrets=" + secrets.keySet() + ", llm=" + llm + ", sessionId="
                + sessionId + "]";
    }

    /**
     * The agent's own request (the native form), which the agent's parser checks once more: what the agent is
     * told, the caller's system prompt extension after the task.
     */
    ObjectNode toAgentBody(String sessionStartUrl, List<String> files, boolean endsSession) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("taskDetails", systemPromptExtension.isBlank() ? task : task + "\n\nFurther instructions:\n"
                + systemPromptExtension);
        o.put("maxSteps", maxSteps);
        if (llm != null) {
            o.put("model", llm);
        }
        String start = startUrl != null ? startUrl : sessionStartUrl;
        if (start != null) {
            o.put("startingUrl", start);
        }
        var s = o.putArray("secrets");
        secrets.forEach((name, value) -> s.addObject().put("name", name).put("value", value));
        var f = o.putArray("files");
        files.forEach(f::add);
        if (structuredOutput != null) {
            o.set("outputSchema", structuredOutput);
        }
        o.put("terminateOnCompletion", endsSession);
        return o;
    }

    private static Map<String, String> secrets(V2Body b) {
        Map<String, String> secrets = b.dictionary("secrets", AgentTaskRequestParser.MAX_SECRETS, 64,
                AgentTaskRequestParser.MAX_SECRET_VALUE);
        for (Map.Entry<String, String> e : secrets.entrySet()) {
            if (!TaskSecrets.NAME.matcher(e.getKey()).matches()) {
                b.problem("secrets", "Value error, a secret's name must start with a letter or '_' and hold at most"
                        + " 64 letters, digits, '_', '.' and '-'", "value_error");
            } else if (e.getValue().length() < TaskSecrets.MIN_VALUE_LENGTH) {
                // checked without quoting: the message never carries the value
                b.problem("secrets", "Value error, secret '" + e.getKey() + "' must have at least "
                        + TaskSecrets.MIN_VALUE_LENGTH + " characters: shorter values cannot be kept out of results"
                        + " reliably", "value_error");
            }
        }
        return secrets;
    }

    private static List<String> domains(V2Body b) {
        List<String> given = b.strings("allowedDomains", DomainAllowList.MAX_ENTRIES, 255);
        for (String d : given) {
            if (DomainAllowList.normalize(d).isEmpty()) {
                b.problem("allowedDomains", "Value error, '" + d + "' is not a domain: write example.com for that"
                        + " host, .example.com for it and its subdomains", "value_error");
            }
        }
        return given;
    }

    private static JsonNode schema(V2Body b) {
        String text = b.string("structuredOutput", false, AgentTaskRequestParser.MAX_SCHEMA_CHARS);
        if (text == null) {
            return null;
        }
        JsonNode schema;
        try {
            schema = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            b.problem("structuredOutput", "Value error, a JSON Schema written as a JSON string", "value_error");
            return null;
        }
        if (schema == null || !schema.isObject()) {
            b.problem("structuredOutput", "Value error, a JSON Schema object", "value_error");
            return null;
        }
        try {
            JsonSchemas.compile(schema);
        } catch (JsonSchemas.InvalidSchemaException e) {
            b.problem("structuredOutput", "Value error, not a valid JSON Schema: " + e.getMessage(), "value_error");
            return null;
        }
        return schema;
    }

    /** {@code vision}: the agent looks at a screenshot each step when the model can see ('auto' and true). */
    private static void vision(V2Body b) {
        JsonNode v = b.raw("vision");
        if (v == null || v.isNull() || v.isBoolean() && v.booleanValue() || "auto".equals(v.textValue())) {
            return;
        }
        if (v.isBoolean()) {
            b.problem("vision", "Value error, not offered by this server: the agent looks at the page's screenshot"
                    + " whenever the model can see; send vision: 'auto' or true", "value_error");
        } else {
            b.problem("vision", "Input should be a valid boolean or 'auto'", "bool_type");
        }
    }
}
