package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.http.SyncAnswer;
import dev.tabrunner.json.Json;
import dev.tabrunner.nativeapi.NativeTaskView.ActionFailure;
import dev.tabrunner.nativeapi.NativeTaskView.AgentData;
import dev.tabrunner.nativeapi.NativeTaskView.AgentFields;
import dev.tabrunner.nativeapi.NativeTaskView.ArtifactView;
import dev.tabrunner.nativeapi.NativeTaskView.DownloadedFile;
import dev.tabrunner.nativeapi.NativeTaskView.ErrorView;
import dev.tabrunner.nativeapi.NativeTaskView.NetworkEntry;
import dev.tabrunner.nativeapi.NativeTaskView.NetworkLog;
import dev.tabrunner.nativeapi.NativeTaskView.NetworkUrl;
import dev.tabrunner.nativeapi.NativeTaskView.Omitted;
import dev.tabrunner.nativeapi.NativeTaskView.PageContent;
import dev.tabrunner.nativeapi.NativeTaskView.Queued;
import dev.tabrunner.nativeapi.NativeTaskView.TaskFailure;
import dev.tabrunner.tasks.TaskService;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the {@link NativeTaskView} of a task; inlining outputs reads their bytes from the blob store. */
@Singleton
final class TaskViews {
    /** The artifact kind of the page at a failure, as the engine names it. */
    static final String FAILURE_SCREENSHOT = "failure_screenshot";

    private final TaskService tasks;

    TaskViews(TaskService tasks) {
        this.tasks = tasks;
    }

    /**
     * Where the task is read again: an absolute URL (seed 001 calls the links it hands out hosted URLs).
     *
     * @param base the scheme and host the caller reached the API at ({@link dev.tabrunner.http.PublicBase})
     */
    static String pollUrl(TaskRecord t, String base) {
        return base + "/browser/sessions/" + t.sessionId() + "/tasks/" + t.id();
    }

    /** The answer of an endpoint that runs a task and waits for it ({@link SyncAnswer}), with a poll URL. */
    HttpResponse<NativeTaskView> answer(TaskRecord t, String base) {
        return SyncAnswer.of(t, at(base), x -> pollUrl(x, base));
    }

    /** How a task is shown to callers who reached the API at {@code base}. */
    SyncAnswer.TaskView<NativeTaskView> at(String base) {
        return (t, inline) -> of(t, inline, base);
    }

    /**
     * @param inlineOutputs whether the screenshot, PDF, content and action screenshots are inlined
     * @param base          the scheme and host its links start with
     */
    NativeTaskView of(TaskRecord t, boolean inlineOutputs, String base) {
        String screenshot = null;
        String pdf = null;
        PageContent content = null;
        if (inlineOutputs) {
            screenshot = firstOfKind(t, "screenshot").map(this::base64).orElse(null);
            pdf = firstOfKind(t, "pdf").map(this::base64).orElse(null);
            content = firstOfKind(t, "content").map(a -> new PageContent(
                    new String(tasks.artifactBytes(a), StandardCharsets.UTF_8),
                    t.finalUrl() == null ? "" : t.finalUrl())).orElse(null);
        }
        boolean ended = t.status().isTerminal();
        return new NativeTaskView(t.id(), t.sessionId(), t.status().nativeName(), t.finalUrl(), screenshot, pdf,
                content, results(t, inlineOutputs), error(t, base), t.createdAt().toString(),
                t.startedAt() == null ? null : t.startedAt().toString(),
                t.finishedAt() == null ? null : t.finishedAt().toString(),
                t.artifacts().stream().map(a -> artifact(t, a, base)).toList(),
                ended ? null : pollUrl(t, base), t.liveViewUrl(),
                t.control() != null && !ended ? t.control().name().toLowerCase(Locale.ROOT) : null,
                t.network(), t.status() == TaskStatus.CREATED ? new Queued(tasks.tasksAhead(t)) : null,
                TaskRecord.KIND_AGENT.equals(t.kind()) ? agent(t, base) : null);
    }

    /** Why it failed, with what helps to fix it: the page's URL and a screenshot of it at the failure. */
    private static ErrorView error(TaskRecord t, String base) {
        TaskError e = t.error();
        if (e == null) {
            return null;
        }
        String screenshot = firstOfKind(t, FAILURE_SCREENSHOT).map(a -> artifact(t, a, base).downloadUrl())
                .orElse(null);
        return e.actionIndex() >= 0 ? new ActionFailure(e.status(), e.code(), e.message(), e.actionIndex(),
                e.actionType(), t.finalUrl(), screenshot)
                : new TaskFailure(e.status(), e.code(), e.message(), t.finalUrl(), screenshot);
    }

    private List<JsonNode> results(TaskRecord t, boolean inline) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : t.results()) {
            if (inline && r.has("artifactId")) {
                ObjectNode copy = r.deepCopy();
                tasks.artifact(t, r.get("artifactId").asText()).ifPresent(a -> copy.put("screenshot", base64(a)));
                out.add(copy);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    private static ArtifactView artifact(TaskRecord t, Artifact a, String base) {
        return new ArtifactView(a.id(), a.kind(), a.filename(), a.contentType(), a.size(),
                pollUrl(t, base) + "/artifacts/" + a.id());
    }

    private static Optional<Artifact> firstOfKind(TaskRecord t, String kind) {
        return t.artifacts().stream().filter(a -> a.kind().equals(kind)).findFirst();
    }

    private String base64(Artifact a) {
        return Base64.getEncoder().encodeToString(tasks.artifactBytes(a));
    }

    private static AgentFields agent(TaskRecord t, String host) {
        JsonNode agent = t.agent() == null ? Json.mapper().createObjectNode() : t.agent();
        String base = pollUrl(t, host) + "/artifacts/";
        ArrayNode steps = agent.has("steps") ? ((ArrayNode) agent.get("steps")).deepCopy()
                : Json.mapper().createArrayNode();
        for (JsonNode s : steps) {
            if (s.has("screenshotArtifactId")) {
                ((ObjectNode) s).put("screenshotUrl", base + s.get("screenshotArtifactId").asText());
            }
        }
        JsonNode usage = agent.has("usage") ? agent.get("usage") : Json.mapper().createObjectNode()
                .put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0)
                .put("completion_time", 0.0).put("cost", 0);
        boolean ended = t.status().isTerminal();
        return new AgentFields(TaskRecord.KIND_AGENT, t.request().path("taskDetails").asText(),
                t.request().has("model") ? t.request().get("model").asText() : null, steps, usage,
                t.status() == TaskStatus.GUARDRAIL && agent.hasNonNull("question")
                        ? agent.get("question").asText() : null,
                ended ? data(t, agent, base) : null,
                ended ? (agent.has("replay") ? agent.get("replay") : Json.mapper().createArrayNode()) : null);
    }

    private static AgentData data(TaskRecord t, JsonNode agent, String base) {
        JsonNode given = agent.path("data");
        JsonNode message = given.hasNonNull("message") ? given.get("message")
                : t.error() != null ? TextNode.valueOf(t.error().message()) : null;
        List<DownloadedFile> files = new ArrayList<>();
        for (JsonNode f : given.path("files")) {
            files.add(new DownloadedFile(f.path("source").asText(), base + f.path("artifactId").asText(),
                    f.path("filename").asText(), f.path("timestamp").asLong()));
        }
        List<NetworkLog> network = new ArrayList<>();
        if (t.network() != null && !t.network().isEmpty()) {
            List<NetworkEntry> urls = new ArrayList<>();
            for (JsonNode n : t.network()) {
                // the log's last entry counts the requests past its bound: kept as that count, not as a URL
                urls.add(n.has("omitted") ? new Omitted(n.get("omitted").asLong())
                        : new NetworkUrl(n.path("url").asText(), millis(n.path("at").asText()),
                        n.path("blocked").asBoolean(false) ? Boolean.TRUE : null));
            }
            network.add(new NetworkLog(t.id() + "-network", t.id(), urls));
        }
        return new AgentData(message, given.has("output") ? given.get("output") : null, files, network,
                given.path("truncated").asBoolean(false) ? Boolean.TRUE : null);
    }

    private static long millis(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
