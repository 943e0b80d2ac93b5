package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

import java.util.regex.Pattern;

/**
 * Where an agent task keeps the files it produces, and the one file it takes beyond its step screenshots. Set by
 * the API (a dialect), never by a caller's body.
 *
 * @param keyPrefix       the first segment of the blob keys of the task's files
 *                        ({@code <prefix>/<tenant>/<task>/<file>}); null for the default ({@code tasks/...}, each
 *                        file name behind its artifact id). A dialect
 *                        whose files have a retention of their own (the browsing API's 5 days) keeps them under its
 *                        own prefix, which an operator's lifecycle rule can name
 * @param finalScreenshot take a PNG of the page when the run ends (completed or failed); null for none
 */
public record AgentArtifacts(String keyPrefix, FinalScreenshot finalScreenshot) {
    /** What a task that asked for nothing gets: default keys, no final screenshot. */
    public static final AgentArtifacts DEFAULT = new AgentArtifacts(null, null);
    /** The artifact kind and file name of the final screenshot. */
    public static final String FINAL_SCREENSHOT_KIND = "final-screenshot";
    public static final String FINAL_SCREENSHOT_NAME = "final.png";
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** @param fullPage the whole scrollable page rather than the viewport */
    public record FinalScreenshot(boolean fullPage) {
    }

    public AgentArtifacts {
        if (keyPrefix != null && !PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("a key prefix is 1-32 lower-case letters, digits or '-'");
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        if (keyPrefix != null) {
            o.put("keyPrefix", keyPrefix);
        }
        if (finalScreenshot != null) {
            o.putObject("finalScreenshot").put("fullPage", finalScreenshot.fullPage());
        }
        return o;
    }

    /**
     * Reads {@link #toJson()}'s form; a missing node is {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException when the prefix is malformed
     */
    public static AgentArtifacts fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            return DEFAULT;
        }
        JsonNode shot = o.get("finalScreenshot");
        return new AgentArtifacts(o.hasNonNull("keyPrefix") ? o.get("keyPrefix").asText() : null,
                shot != null && shot.isObject() ? new FinalScreenshot(shot.path("fullPage").asBoolean(true)) : null);
    }
}
