package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.json.JsonSchemas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a natural-language task body into an {@link AgentTaskRequest} plus its secrets, or throws
 * {@link InvalidRequestException} naming the field. Strict like {@link TaskRequestParser}: unknown fields, wrong
 * types and out-of-range values are refused, and every size is bounded.
 */
public final class AgentTaskRequestParser {
    public static final long DEFAULT_MAX_DURATION_MS = 300_000;
    public static final long MIN_MAX_DURATION_MS = 1_000;
    /**
     * The longest time limit the stored form may hold: what a dialect may set beyond a caller's own range (the
     * browsing API's {@code timeout}, up to 3 h); its shortest is 1 ms.
     */
    public static final long MAX_STORED_DURATION_MS = 10_800_000;
    public static final long DEFAULT_MAX_TOKENS = 100_000;
    public static final long MAX_INPUT_TOKENS_LIMIT = 10_000_000;
    public static final long MAX_OUTPUT_TOKENS_LIMIT = 1_000_000;
    public static final int DEFAULT_MAX_STEPS = 75;
    public static final int MAX_STEPS_LIMIT = 200;
    public static final int MAX_TASK_DETAILS = 20_000;
    public static final int MAX_SECRETS = 50;
    public static final int MAX_SECRET_VALUE = 10_000;
    public static final int MAX_FILES = 20;
    public static final int MAX_SCHEMA_CHARS = 65_536;
    public static final Set<String> FIELDS = Set.of("taskDetails", "maxDuration", "maxInputTokens",
            "maxOutputTokens", "maxSteps", "startingUrl", "terminateOnCompletion", "secrets", "files",
            "environmentId", "outputSchema", "model", "allowedDomains", "recording");

    /** A parsed body: the request and the secret values it carried. */
    public record Parsed(AgentTaskRequest request, TaskSecrets secrets) {
    }

    private AgentTaskRequestParser() {
    }

    /** Parses a caller's body, whose secrets carry values. */
    public static Parsed parse(JsonNode body) {
        return parse(body, FIELDS, true);
    }

    /**
     * Parses a body that may carry other fields too (they are the caller's business, e.g. session options of
     * {@code POST /browser/run-task}); the agent's fields are checked as in {@link #parse(JsonNode)}.
     *
     * @param allowed every field the body may hold, the agent's included
     */
    public static Parsed parse(JsonNode body, Set<String> allowed) {
        return parse(body, allowed, true);
    }

    /**
     * Fields only the stored form holds: what the API adds (browsing options, profile, live view, where files go).
     * What a dialect keeps for its own view is not part of the request
     * ({@link dev.tabrunner.domain.TaskRecord#dialect()}).
     */
    private static final Set<String> STORED_FIELDS;

    static {
        Set<String> s = new java.util.HashSet<>(FIELDS);
        s.addAll(Set.of("browsing", "profile", "liveView", "artifacts"));
        STORED_FIELDS = Set.copyOf(s);
    }

    /** Parses the stored form ({@link AgentTaskRequest#toJson()}), whose secrets carry only names. */
    public static AgentTaskRequest parseStored(JsonNode stored) {
        AgentTaskRequest r = parse(stored, STORED_FIELDS, false).request();
        BrowserProfile profile;
        AgentArtifacts artifacts;
        try {
            profile = BrowserProfile.fromJson(stored.get("profile"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("profile", "profile.id: " + e.getMessage());
        }
        try {
            artifacts = AgentArtifacts.fromJson(stored.get("artifacts"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("artifacts", "artifacts.keyPrefix: " + e.getMessage());
        }
        return r.with(BrowsingOptions.fromJson(stored.get("browsing")), profile,
                stored.path("liveView").asBoolean(false)).withArtifacts(artifacts);
    }

    private static Parsed parse(JsonNode body, Set<String> allowed, boolean withValues) {
        // a caller's body keeps seed 001's range; the stored form holds what the API set, a dialect's range included
        long minDuration = withValues ? MIN_MAX_DURATION_MS : 1;
        long maxDuration = withValues ? DEFAULT_MAX_DURATION_MS : MAX_STORED_DURATION_MS;
        JsonFields f = new JsonFields(body, "", -1, null);
        f.allowOnly(allowed);
        String details = f.string("taskDetails", true, MAX_TASK_DETAILS);
        if (details.isBlank()) {
            throw f.fail("taskDetails", "must describe the task");
        }
        long duration = orDefault(f.longValue("maxDuration", minDuration, maxDuration), DEFAULT_MAX_DURATION_MS);
        long input = orDefault(f.longValue("maxInputTokens", 1, MAX_INPUT_TOKENS_LIMIT), DEFAULT_MAX_TOKENS);
        long output = orDefault(f.longValue("maxOutputTokens", 1, MAX_OUTPUT_TOKENS_LIMIT), DEFAULT_MAX_TOKENS);
        int steps = (int) orDefault(f.longValue("maxSteps", 1, MAX_STEPS_LIMIT), DEFAULT_MAX_STEPS);
        String startingUrl = f.has("startingUrl") ? TaskRequestParser.url(f, "startingUrl") : null;
        boolean terminate = f.bool("terminateOnCompletion", false);
        Map<String, String> secrets = secrets(f, withValues);
        List<String> files = files(f);
        String environmentId = f.string("environmentId", false, 128);
        JsonNode schema = outputSchema(f);
        String model = f.string("model", false, 128);
        if (model != null && model.isBlank()) {
            throw f.fail("model", "must name a model");
        }
        List<String> domains = allowedDomains(f);
        BrowsingOptions browsing = domains.isEmpty() ? BrowsingOptions.NONE
                : new BrowsingOptions(domains, false, null, false);
        Boolean recording = f.has("recording") ? f.bool("recording", true) : null;
        AgentTaskRequest request = new AgentTaskRequest(details, duration, input, output, steps, startingUrl,
                terminate, new ArrayList<>(secrets.keySet()), files, environmentId, schema, model, browsing, null,
                false, null, recording);
        return new Parsed(request, withValues ? new TaskSecrets(secrets) : TaskSecrets.none());
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }

    private static Map<String, String> secrets(JsonFields f, boolean withValues) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode list = f.raw("secrets");
        if (list == null) {
            return out;
        }
        if (!list.isArray()) {
            throw f.fail("secrets", "must be an array of {name, value}");
        }
        if (list.size() > MAX_SECRETS) {
            throw f.fail("secrets", "must hold at most " + MAX_SECRETS + " secrets");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonFields s = new JsonFields(list.get(i), "secrets[" + i + "]", -1, null);
            s.allowOnly(withValues ? Set.of("name", "value") : Set.of("name"));
            String name = s.string("name", true, 64);
            if (!TaskSecrets.NAME.matcher(name).matches()) {
                throw s.fail(s.path("name"), "must start with a letter or '_' and hold only letters, digits,"
                        + " '_', '.' and '-'");
            }
            if (out.containsKey(name)) {
                throw s.fail(s.path("name"), "is used twice");
            }
            String value = null;
            if (withValues) {
                // the message never quotes the value
                value = s.string("value", true, MAX_SECRET_VALUE);
                if (value.length() < TaskSecrets.MIN_VALUE_LENGTH) {
                    throw s.fail(s.path("value"), "must have at least " + TaskSecrets.MIN_VALUE_LENGTH
                            + " characters: shorter values cannot be kept out of results reliably");
                }
            }
            out.put(name, value);
        }
        return out;
    }

    /**
     * {@code allowedDomains} of a body (a task's, a session's), with browser-use v1's {@code allowed_domains}
     * semantics: {@code example.com} is that host, {@code .example.com} and {@code *.example.com} the domain and its
     * subdomains; empty when the body has none.
     *
     * @throws InvalidRequestException naming the entry that is not a domain
     */
    public static List<String> allowedDomains(JsonNode body) {
        return allowedDomains(new JsonFields(body, "", -1, null));
    }

    private static List<String> allowedDomains(JsonFields f) {
        List<String> out = new ArrayList<>();
        JsonNode list = f.raw("allowedDomains");
        if (list == null) {
            return out;
        }
        if (!list.isArray()) {
            throw f.fail("allowedDomains", "must be an array of domains such as example.com or .example.com");
        }
        if (list.size() > DomainAllowList.MAX_ENTRIES) {
            throw f.fail("allowedDomains", "must hold at most " + DomainAllowList.MAX_ENTRIES + " domains");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            if (!d.isTextual() || d.textValue().length() > 255
                    || DomainAllowList.normalize(d.textValue()).isEmpty()) {
                throw f.fail("allowedDomains[" + i + "]", "must be a domain: example.com for that host,"
                        + " .example.com or *.example.com for it and its subdomains");
            }
            if (!out.contains(d.textValue())) {
                out.add(d.textValue());
            }
        }
        return out;
    }

    private static List<String> files(JsonFields f) {
        List<String> out = new ArrayList<>();
        JsonNode list = f.raw("files");
        if (list == null) {
            return out;
        }
        if (!list.isArray()) {
            throw f.fail("files", "must be an array of file ids or names");
        }
        if (list.size() > MAX_FILES) {
            throw f.fail("files", "must hold at most " + MAX_FILES + " names");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 255) {
                throw f.fail("files[" + i + "]", "must be the id or name of a file uploaded to the session");
            }
            if (!out.contains(n.textValue())) {
                out.add(n.textValue());
            }
        }
        return out;
    }

    private static JsonNode outputSchema(JsonFields f) {
        JsonNode schema = f.raw("outputSchema");
        if (schema == null) {
            return null;
        }
        if (!schema.isObject()) {
            throw f.fail("outputSchema", "must be a JSON Schema object");
        }
        if (schema.toString().length() > MAX_SCHEMA_CHARS) {
            throw f.fail("outputSchema", "must be at most " + MAX_SCHEMA_CHARS + " characters of JSON");
        }
        try {
            JsonSchemas.compile(schema);
        } catch (JsonSchemas.InvalidSchemaException e) {
            throw f.fail("outputSchema", "is not a valid JSON Schema: " + e.getMessage());
        }
        return schema;
    }
}
