package dev.tabrunner.browsing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Browsing templates: what an operator sets around a caller's {@code task}, one JSON file per template,
 * {@code <stem>.json}, in the templates directory ({@value BrowsingSettings#TEMPLATES_DIR}), read when a task names
 * it (an edit takes effect with the next task). {@value #DEFAULT} is shipped and used when a task names none; a
 * {@code default.json} in the directory replaces it. Fields, all optional:
 * <ul>
 *     <li>{@code instructions}: text holding {@value #PLACEHOLDER}, which the task's text replaces; the agent is
 *     given the result</li>
 *     <li>{@code model}: a model of the deployment's, instead of its default</li>
 *     <li>{@code max_steps}: 1 to 200 agent steps</li>
 *     <li>{@code timeout}: the time limit, when the task gives none (1 ms to 3 h)</li>
 *     <li>{@code screenshots}: {@code {"mode", "full_page"}} when the task asks for none</li>
 *     <li>{@code allowed_domains}: the only domains the task's browser may reach</li>
 *     <li>{@code description}: for the operator; not read</li>
 * </ul>
 */
@Singleton
final class BrowsingTemplates {
    static final String DEFAULT = "default";
    static final String PLACEHOLDER = "{task}";
    private static final String SHIPPED = "/browsing-templates/";
    private static final int MAX_BYTES = 65_536;
    private static final Set<String> FIELDS = Set.of("description", "instructions", "model", "max_steps", "timeout",
            "screenshots", "allowed_domains");

    /**
     * One template.
     *
     * @param instructions text around the task, holding {@value #PLACEHOLDER}
     * @param model        null for the deployment's default
     * @param maxSteps     null for the agent's default
     * @param timeoutMs    null for the agent's default
     * @param screenshots  null for none
     */
    record Template(String stem, String instructions, String model, Integer maxSteps, Long timeoutMs,
                    BrowsingRequest.Screenshots screenshots, List<String> allowedDomains) {
        Template {
            allowedDomains = List.copyOf(allowedDomains);
        }

        /** What the agent is told: the instructions with the task's text in its place. */
        String wrap(String task) {
            int at = instructions.indexOf(PLACEHOLDER);
            return instructions.substring(0, at) + task + instructions.substring(at + PLACEHOLDER.length());
        }
    }

    private final Path dir;

    BrowsingTemplates(BrowsingSettings settings) {
        this.dir = settings.templatesDir();
    }

    /**
     * The template a task names.
     *
     * @param stem null for {@value #DEFAULT}
     * @throws ApiException 400 when there is no such template; 500 when the operator's file is not a valid template
     */
    Template find(String stem) {
        String name = stem == null ? DEFAULT : stem;
        if (!BrowsingRequest.STEM.matcher(name).matches()) {
            throw unknown(name);
        }
        byte[] bytes = read(name).orElseThrow(() -> unknown(name));
        try {
            return parse(name, bytes);
        } catch (IllegalArgumentException | ApiException e) {
            throw new ApiException(500, "template_invalid", "browsing template '" + name + "' is not valid: "
                    + e.getMessage() + "; the operator must correct " + name + ".json");
        }
    }

    private ApiException unknown(String name) {
        return ApiException.badRequest("template", "there is no browsing template '" + name + "'"
                + (dir == null ? "; this deployment has the default template only" : ""));
    }

    /** The operator's file, else the shipped one; empty when neither exists. */
    private Optional<byte[]> read(String stem) {
        if (dir != null) {
            Path file = dir.resolve(stem + ".json");
            try {
                if (Files.size(file) > MAX_BYTES) {
                    throw new ApiException(500, "template_invalid", "browsing template '" + stem + "' is larger than"
                            + " " + MAX_BYTES + " bytes");
                }
                return Optional.of(Files.readAllBytes(file));
            } catch (NoSuchFileException e) {
                // not the operator's: perhaps shipped
            } catch (IOException e) {
                throw new ApiException(500, "template_unreadable", "browsing template '" + stem + "' could not be"
                        + " read: " + e.getClass().getSimpleName());
            }
        }
        try (InputStream in = BrowsingTemplates.class.getResourceAsStream(SHIPPED + stem + ".json")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("the shipped template " + stem + " could not be read", e);
        }
    }

    /**
     * Reads a template's JSON.
     *
     * @throws IllegalArgumentException or {@link ApiException} saying what is wrong with it
     */
    static Template parse(String stem, byte[] json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a template is a JSON object");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; the fields are " + FIELDS.stream()
                        .sorted().toList());
            }
        }
        String instructions = text(root, "instructions", AgentTaskRequestParser.MAX_TASK_DETAILS);
        if (instructions == null) {
            instructions = PLACEHOLDER;
        } else if (!instructions.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("instructions must hold " + PLACEHOLDER + " where the task goes");
        }
        String model = text(root, "model", 128);
        Long steps = number(root, "max_steps", 1, AgentTaskRequestParser.MAX_STEPS_LIMIT);
        Long timeout = number(root, "timeout", 1, BrowsingRequest.MAX_TIMEOUT_MS);
        BrowsingRequest.Screenshots screenshots = BrowsingRequest.screenshots(root.get("screenshots"),
                "screenshots");
        List<String> domains = new ArrayList<>();
        JsonNode given = root.get("allowed_domains");
        if (given != null && !given.isNull()) {
            if (!given.isArray() || given.size() > DomainAllowList.MAX_ENTRIES) {
                throw new IllegalArgumentException("allowed_domains must be a list of at most "
                        + DomainAllowList.MAX_ENTRIES + " domains");
            }
            for (JsonNode d : given) {
                if (!d.isTextual() || DomainAllowList.normalize(d.textValue()).isEmpty()) {
                    throw new IllegalArgumentException("allowed_domains: " + d + " is not a domain (example.com for"
                            + " that host, .example.com for it and its subdomains)");
                }
                domains.add(d.textValue());
            }
        }
        return new Template(stem, instructions, model, steps == null ? null : steps.intValue(), timeout, screenshots,
                domains);
    }

    private static String text(JsonNode root, String field, int max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > max) {
            throw new IllegalArgumentException(field + " must be a text of 1 to " + max + " characters");
        }
        return v.textValue();
    }

    private static Long number(JsonNode root, String field, long min, long max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
        }
        return v.longValue();
    }
}
