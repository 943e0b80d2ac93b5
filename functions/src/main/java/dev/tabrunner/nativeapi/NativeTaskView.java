package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

/**
 * A task as the native API shows it: seed 000's Run Task response ({@code url}, {@code screenshot}, {@code pdf},
 * {@code content}, {@code results}) and the task's own fields, plus, for a natural-language task, seed 001's
 * ({@link AgentFields}). Binary outputs are inlined as base64 once the task has ended, within a budget per answer;
 * past it an output is a download URL ({@code screenshotUrl}, {@code pdfUrl}, {@code content.htmlUrl}, an action's
 * {@code screenshotUrl}).
 *
 * @param results   one entry per action, as the worker recorded it (its shape depends on the action type)
 * @param pollUrl   where to read the task again, while it has not ended
 * @param requested a stop or pause asked for and not yet carried out
 * @param network   the task's network log, as the worker recorded it
 * @param queued    present while the task waits to start
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record NativeTaskView(String taskId, String sessionId, String status, String url,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String screenshot,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String screenshotUrl,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String pdf,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String pdfUrl,
                      @JsonInclude(JsonInclude.Include.NON_NULL) PageContent content,
                      List<JsonNode> results,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ErrorView error,
                      String createdAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String startedAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String completedAt,
                      List<ArtifactView> artifacts,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String pollUrl,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String liveViewUrl,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String requested,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ArrayNode network,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Queued queued,
                      @JsonUnwrapped AgentFields agent) {

    /**
     * A task no worker has started yet ({@code status: started}): how many tasks of its session it waits behind
     * (tasks of one session run one after another); 0 when it waits only for a worker.
     */
    record Queued(int tasksAhead) {
    }

    /**
     * {@code content: true}: the final page's HTML and URL; {@code htmlUrl} instead of {@code html} when the HTML
     * did not fit the answer (it is downloaded from there).
     */
    record PageContent(@JsonInclude(JsonInclude.Include.NON_NULL) String html, String url,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String htmlUrl) {
    }

    /** Why the task failed; {@link ActionFailure} when it failed inside an action. */
    sealed interface ErrorView permits TaskFailure, ActionFailure {
    }

    /**
     * @param url           the page's URL when the task failed
     * @param screenshotUrl the page as it was when the task failed, when the browser could still show it
     */
    record TaskFailure(int status, String code, String message,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String url,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String screenshotUrl) implements ErrorView {
    }

    /** A failure inside an action: which one, and the page when it failed ({@link TaskFailure}'s fields). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ActionFailure(int status, String code, String message, int actionIndex, String actionType,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String url,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String screenshotUrl) implements ErrorView {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ArtifactView(String id, String kind, String filename, String contentType, long size, String downloadUrl) {
    }

    /** One page of a session's tasks; {@code nextCursor} is null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Listing(List<NativeTaskView> tasks, String nextCursor) {
    }

    /**
     * What a natural-language task adds (seed 001's result): the agent's {@code steps}, {@code usage}, the
     * {@code question} while it waits for a person, and once it has ended its {@code data} and {@code replay}, the
     * seed-000 action list it executed.
     *
     * @param steps one entry per agent step, as the worker recorded it, with a link to its screenshot
     * @param usage tokens, time and cost, as the worker recorded them
     */
    record AgentFields(String kind, String taskDetails,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String model,
                       ArrayNode steps, JsonNode usage,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String question,
                       @JsonInclude(JsonInclude.Include.NON_NULL) AgentData data,
                       @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode replay) {
    }

    /**
     * The result of a natural-language task.
     *
     * @param message the agent's final message, or why the task failed
     * @param output  the structured output, present (possibly null) when the task had a schema
     */
    record AgentData(@JsonInclude(JsonInclude.Include.NON_NULL) JsonNode message,
                     @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode output,
                     List<DownloadedFile> files, List<NetworkLog> network,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Boolean truncated) {
    }

    /** A file the agent downloaded; {@code timestamp} in epoch milliseconds. */
    record DownloadedFile(String source, String downloadUrl, String filename, long timestamp) {
    }

    record NetworkLog(String id, String taskId, List<NetworkEntry> urls) {
    }

    /** An entry of the network log: a request, or, last, how many requests the log's bound left out. */
    sealed interface NetworkEntry permits NetworkUrl, Omitted {
    }

    /** A request the page made; {@code blocked} when the egress guard refused it. */
    record NetworkUrl(String url, long timestamp, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean blocked)
            implements NetworkEntry {
    }

    /** {@code {"omitted": n}}: the requests past the log's bound of 500 entries, counted only. */
    record Omitted(long omitted) implements NetworkEntry {
    }
}
