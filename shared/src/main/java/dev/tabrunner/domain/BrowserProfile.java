package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The browser profile a task starts from (cookies and local storage saved by earlier tasks), and whether the task
 * saves its own browser data back into it when it ends. A profile is what the native API calls an environment
 * (seed 001): one store under {@link #prefix}, two views, so a browser-use v1 {@code browser_profile_id} and a
 * native {@code environmentId} name the same saved state.
 *
 * @param id   the profile's name within the tenant; {@value #DEFAULT_ID} when the caller named none
 * @param save write the task's cookies and storage back to the profile (and show them on the task) at its end
 */
public record BrowserProfile(String id, boolean save) {
    public static final String DEFAULT_ID = "default";
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public BrowserProfile {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid profile id");
        }
    }

    /** Where the profile's saved state (Playwright storageState JSON) is kept in the blob store. */
    public static String stateKey(String tenantId, String profileId) {
        return prefix(tenantId) + profileId + "/state.json";
    }

    /** Where a tenant's profiles are kept in the blob store: one folder each, named by the profile's id. */
    public static String prefix(String tenantId) {
        return "profiles/" + tenantId + "/";
    }

    /** Where the profile's name and creation time are kept, when it was created as an environment. */
    public static String metadataKey(String tenantId, String profileId) {
        return prefix(tenantId) + profileId + "/environment.json";
    }

    /** Where a task that saved its browser data keeps what it saved (its cookies), for the task's view. */
    public static String taskDataKey(String tenantId, String taskId) {
        return "tasks/" + tenantId + "/" + taskId + "/browser-data.json";
    }

    public ObjectNode toJson() {
        return Json.mapper().createObjectNode().put("id", id).put("save", save);
    }

    /** Reads {@link #toJson()}'s form; null when the node is missing (a task without a profile). */
    public static BrowserProfile fromJson(JsonNode o) {
        if (o == null || !o.isObject() || !o.hasNonNull("id")) {
            return null;
        }
        return new BrowserProfile(o.get("id").asText(), o.path("save").asBoolean(false));
    }
}
