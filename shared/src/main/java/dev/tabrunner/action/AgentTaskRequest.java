package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.json.Json;

import java.util.List;
import java.util.Objects;

/**
 * A validated natural-language task (seed 001's task parameters), with every default applied. Secret values are
 * not part of it: the request only names them, the values travel separately (see {@link AgentTaskRequestParser}).
 *
 * @param maxDurationMs         active time the task may take (pauses and waits for a person do not count)
 * @param maxInputTokens        prompt tokens the task may use in total; going over fails the task
 * @param maxOutputTokens       completion tokens the task may use in total; reaching it truncates the answer
 * @param maxSteps              model turns the task may take
 * @param startingUrl           where to go first, or null to start on the session's current page
 * @param terminateOnCompletion terminate the session once the task has ended
 * @param secretNames           names of the secrets the task may type
 * @param files                 files uploaded to the session that the agent may upload into pages: names, or ids
 *                              until the API resolves them to names ({@link #withFiles})
 * @param environmentId         the environment the task's session is attached to (seed 001: a top-level parameter
 *                              that attaches the session), or null
 * @param outputSchema          JSON Schema the structured output must match, or null
 * @param model                 the model the caller asked for, or null for the deployment's default
 * @param browsing              how the task's browser may browse (allowed domains, ad blocking, proxy, highlights);
 *                              a native task's {@code allowedDomains} arrive here
 * @param profile               the browser profile the task starts from and may save into, or null for the
 *                              session's own state
 * @param liveView              keep a live view of the task's browser open for as long as the task runs
 * @param artifacts             where the task's files go and whether it ends with a screenshot (what a dialect adds)
 * @param recording             whether the task is recorded for replay (ADR 0042), or null for the default (the
 *                              session's choice, else recorded)
 */
public record AgentTaskRequest(String taskDetails, long maxDurationMs, long maxInputTokens, long maxOutputTokens,
                               int maxSteps, String startingUrl, boolean terminateOnCompletion,
                               List<String> secretNames, List<String> files, String environmentId,
                               JsonNode outputSchema, String model, BrowsingOptions browsing,
                               BrowserProfile profile, boolean liveView, AgentArtifacts artifacts,
                               Boolean recording) {
    public AgentTaskRequest {
        Objects.requireNonNull(taskDetails, "taskDetails");
        browsing = browsing == null ? BrowsingOptions.NONE : browsing;
        artifacts = artifacts == null ? AgentArtifacts.DEFAULT : artifacts;
        secretNames = List.copyOf(secretNames);
        files = List.copyOf(files);
    }

    /** The same request with other browsing options, profile and live view (what the v1 dialect adds). */
    public AgentTaskRequest with(BrowsingOptions newBrowsing, BrowserProfile newProfile, boolean newLiveView) {
        return new AgentTaskRequest(taskDetails, maxDurationMs, maxInputTokens, maxOutputTokens, maxSteps, startingUrl,
                terminateOnCompletion, secretNames, files, environmentId, outputSchema, model, newBrowsing, newProfile,
                newLiveView, artifacts, recording);
    }

    /** The same request with another time limit (a dialect's own range: the browsing API allows up to 3 h). */
    public AgentTaskRequest withMaxDuration(long newMaxDurationMs) {
        return new AgentTaskRequest(taskDetails, newMaxDurationMs, maxInputTokens, maxOutputTokens, maxSteps,
                startingUrl, terminateOnCompletion, secretNames, files, environmentId, outputSchema, model, browsing,
                profile, liveView, artifacts, recording);
    }

    /** The same request keeping its files as {@code newArtifacts} says. */
    public AgentTaskRequest withArtifacts(AgentArtifacts newArtifacts) {
        return new AgentTaskRequest(taskDetails, maxDurationMs, maxInputTokens, maxOutputTokens, maxSteps,
                startingUrl, terminateOnCompletion, secretNames, files, environmentId, outputSchema, model, browsing,
                profile, liveView, newArtifacts, recording);
    }

    /** The same request with its files named otherwise (file ids resolved to the names the worker looks up). */
    public AgentTaskRequest withFiles(List<String> newFiles) {
        return new AgentTaskRequest(taskDetails, maxDurationMs, maxInputTokens, maxOutputTokens, maxSteps, startingUrl,
                terminateOnCompletion, secretNames, newFiles, environmentId, outputSchema, model, browsing, profile,
                liveView, artifacts, recording);
    }

    /** The same request, ending its session when it ends. */
    public AgentTaskRequest terminatingSession() {
        return new AgentTaskRequest(taskDetails, maxDurationMs, maxInputTokens, maxOutputTokens, maxSteps, startingUrl,
                true, secretNames, files, environmentId, outputSchema, model, browsing, profile, liveView, artifacts,
                recording);
    }

    /** The form that is stored with the task and read back by the worker: defaults applied, no secret values. */
    public ObjectNode toJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("taskDetails", taskDetails);
        o.put("maxDuration", maxDurationMs);
        o.put("maxInputTokens", maxInputTokens);
        o.put("maxOutputTokens", maxOutputTokens);
        o.put("maxSteps", maxSteps);
        if (startingUrl != null) {
            o.put("startingUrl", startingUrl);
        }
        o.put("terminateOnCompletion", terminateOnCompletion);
        var secrets = o.putArray("secrets");
        secretNames.forEach(n -> secrets.addObject().put("name", n));
        var f = o.putArray("files");
        files.forEach(f::add);
        if (environmentId != null) {
            o.put("environmentId", environmentId);
        }
        if (outputSchema != null) {
            o.set("outputSchema", outputSchema);
        }
        if (model != null) {
            o.put("model", model);
        }
        if (!browsing.equals(BrowsingOptions.NONE)) {
            o.set("browsing", browsing.toJson());
        }
        if (profile != null) {
            o.set("profile", profile.toJson());
        }
        if (liveView) {
            o.put("liveView", true);
        }
        if (!artifacts.equals(AgentArtifacts.DEFAULT)) {
            o.set("artifacts", artifacts.toJson());
        }
        if (recording != null) {
            o.put("recording", recording);
        }
        return o;
    }
}
