package dev.tabrunner.browsing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The body of {@code POST /api/v1/browsing/async} and {@code /sync} (seed 003), checked field by field: unknown
 * fields, wrong types and values out of range are refused with a 400 naming the field.
 *
 * @param screenshots which screenshots to return, or null when the body asked for none (the template's default
 *                    then applies)
 * @param sessionKey  the shared session the task runs in, or null for a session of its own
 * @param filter      where the task may run, or null for any node
 * @param timeoutMs   the task's time limit, or null for the template's
 * @param template    the template's stem, or null for {@value BrowsingTemplates#DEFAULT}
 */
record BrowsingRequest(String task, Screenshots screenshots, String sessionKey, NodeFilter filter, Long timeoutMs,
                       int fanout, String template) {
    static final long MAX_TIMEOUT_MS = AgentTaskRequestParser.MAX_STORED_DURATION_MS;
    static final int MAX_FANOUT = 10;
    static final int MAX_SESSION_KEY = 256;
    static final Pattern STEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Set<String> FIELDS = Set.of("task", "screenshots", "session_key", "filter", "timeout",
            "fanout", "template");
    private static final Set<String> SCREENSHOT_FIELDS = Set.of("mode", "full_page");
    private static final Set<String> FILTER_FIELDS = Set.of("country_iso", "node_uid");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /**
     * Which screenshots to return.
     *
     * @param fullPage for {@code final_only}: the whole scrollable page rather than the viewport
     */
    record Screenshots(ScreenshotMode mode, boolean fullPage) {
    }

    /** Which nodes may receive a task. */
    sealed interface NodeFilter permits ByCountry, ByNode {
    }

    /** @param countryIso upper-case ISO 3166-1 alpha-2 code */
    record ByCountry(String countryIso) implements NodeFilter {
    }

    record ByNode(String uid) implements NodeFilter {
    }

    /**
     * Reads the raw body.
     *
     * @throws ApiException 400 for malformed JSON or the first field that breaks the contract
     */
    static BrowsingRequest parse(String body) {
        JsonNode root = RequestBodies.object(body, FIELDS);
        String task = RequestBodies.optionalString(root, "task", AgentTaskRequestParser.MAX_TASK_DETAILS);
        if (task == null) {
            throw ApiException.badRequest("task", "is required: the instruction to carry out in the browser");
        }
        if (task.isBlank()) {
            throw ApiException.badRequest("task", "must describe what to do");
        }
        Screenshots screenshots = screenshots(root.get("screenshots"), "screenshots");
        String sessionKey = RequestBodies.optionalString(root, "session_key", MAX_SESSION_KEY);
        if (sessionKey != null && sessionKey.isEmpty()) {
            throw ApiException.badRequest("session_key", "must not be empty");
        }
        NodeFilter filter = filter(root.get("filter"));
        Long timeout = integer(root, "timeout", 1, MAX_TIMEOUT_MS);
        Long fanout = integer(root, "fanout", 1, MAX_FANOUT);
        if (sessionKey != null && fanout != null && fanout > 1) {
            throw ApiException.badRequest("fanout", "cannot be raced in a shared session: send fanout 1 (or"
                    + " none) with a session_key");
        }
        String template = RequestBodies.optionalString(root, "template", 64);
        if (template != null && !STEM.matcher(template).matches()) {
            throw ApiException.badRequest("template", "must be a template's stem: 1-64 letters, digits, '_' or"
                    + " '-', starting with a letter or digit");
        }
        return new BrowsingRequest(task, screenshots, sessionKey, filter, timeout,
                fanout == null ? 1 : fanout.intValue(), template);
    }

    /**
     * Reads a {@code screenshots} object (of a body or of a template); null when absent.
     *
     * @param field its name in the error messages
     */
    static Screenshots screenshots(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(field, "must be an object: {\"mode\": \"final_only\" | \"every_step\""
                    + " | \"on_navigation\", \"full_page\": true}");
        }
        allowOnly(v, SCREENSHOT_FIELDS, field);
        String modes = Arrays.stream(ScreenshotMode.values()).map(ScreenshotMode::wireName)
                .collect(Collectors.joining(", "));
        JsonNode mode = v.get("mode");
        if (mode == null || mode.isNull()) {
            throw ApiException.badRequest(field + ".mode", "is required when " + field + " is given: one of "
                    + modes);
        }
        ScreenshotMode m = mode.isTextual() ? ScreenshotMode.of(mode.textValue()).orElse(null) : null;
        if (m == null) {
            throw ApiException.badRequest(field + ".mode", "must be one of " + modes);
        }
        JsonNode fullPage = v.get("full_page");
        if (fullPage != null && !fullPage.isNull() && !fullPage.isBoolean()) {
            throw ApiException.badRequest(field + ".full_page", "must be true or false");
        }
        return new Screenshots(m, fullPage == null || fullPage.isNull() || fullPage.booleanValue());
    }

    private static NodeFilter filter(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest("filter", "must be an object: {\"country_iso\": \"DE\"} or"
                    + " {\"node_uid\": \"...\"}");
        }
        allowOnly(v, FILTER_FIELDS, "filter");
        String country = string(v, "country_iso", 16);
        String node = string(v, "node_uid", 128);
        if (country != null && node != null) {
            throw ApiException.badRequest("filter", "country_iso and node_uid are mutually exclusive; send one");
        }
        if (country != null) {
            String iso = country.trim().toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(iso)) {
                throw ApiException.badRequest("filter.country_iso", "must be an ISO 3166-1 alpha-2 country code"
                        + " (DE, US, ...)");
            }
            return new ByCountry(iso);
        }
        if (node != null) {
            if (node.isBlank()) {
                throw ApiException.badRequest("filter.node_uid", "must name a node");
            }
            return new ByNode(node);
        }
        return null;
    }

    /** Refuses a field of a nested object that it does not have, naming it by its place in the body. */
    private static void allowOnly(JsonNode object, Set<String> allowed, String place) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest(place + "." + name, "unknown field; allowed fields are "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static String string(JsonNode node, String field, int maxLength) {
        try {
            return RequestBodies.optionalString(node, field, maxLength);
        } catch (ApiException e) {
            // the field's place in the body, for the message
            throw ApiException.badRequest("filter." + field, e.getMessage().substring(field.length() + 2));
        }
    }

    private static Long integer(JsonNode root, String field, long min, long max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest(field, "must be a whole number between " + min + " and " + max);
        }
        long n = v.longValue();
        if (n < min || n > max) {
            throw ApiException.badRequest(field, "must be between " + min + " and " + max
                    + (field.equals("timeout") ? " (milliseconds; at most 3 hours)" : ""));
        }
        return n;
    }
}
