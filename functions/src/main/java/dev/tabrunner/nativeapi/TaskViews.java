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
    /**
     * Most of an answer's size that inlined outputs may take (base64, 4 MiB): the rest of a 6 MB Lambda response is
     * the task's JSON. Documented in the README ("Large outputs").
     */
    static final long INLINE_BUDGET_BYTES = 4L * 1024 * 1024;
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
     * @param inlineOutputs whether the screenshot, PDF, content and action screenshots may be inlined
     * @param base          the scheme and host its links start with
     */
    NativeTaskView of(TaskRecord t, boolean inlineOutputs, String base) {
        Inline inline = new Inline(t, inlineOutputs ? INLINE_BUDGET_BYTES : 0, base);
        String screenshot = null;
        String screenshotUrl = null;
        String pdf = null;
        String pdfUrl = null;
        PageContent content = null;
        if (inlineOutputs) {
            Optional<Artifact> shot = firstOfKind(t, "screenshot");
            screenshot = shot.map(inline::base64).orElse(null);
            screenshotUrl = shot.filter(a -> inline.skipped(a)).map(inline::url).orElse(null);
            Optional<Artifact> page = firstOfKind(t, "pdf");
            pdf = page.map(inline::base64).orElse(null);
            pdfUrl = page.filter(a -> inline.skipped(a)).map(inline::url).orElse(null);
            String finalUrl = t.finalUrl() == null ? "" : t.finalUrl();
            content = firstOfKind(t, "content").map(a -> {
                byte[] html = inline.bytes(a);
                return html != null ? new PageContent(new String(html, StandardCharsets.UTF_8), finalUrl, null)
                        : new PageContent(null, finalUrl, inline.url(a));
            }).orElse(null);
        }
        boolean ended = t.status().isTerminal();
        return new NativeTaskView(t.id(), t.sessionId(), t.status().nativeName(), t.finalUrl(), screenshot,
                screenshotUrl, pdf, pdfUrl, content, results(t, inlineOutputs, inline), error(t, base),
                t.createdAt().toString(), t.startedAt() == null ? null : t.startedAt().toString(),
                t.finishedAt() == null ? null : t.finishedAt().toString(),
                t.artifacts().stream().map(a -> artifact(t, a, base)).toList(),
                ended ? null : pollUrl(t, base), ended ? null : t.liveViewUrl(),
                t.control() != null && !ended ? t.control().name().toLowerCase(Locale.ROOT) : null,
                t.network(), t.status() == TaskStatus.CREATED ? new Queued(tasks.tasksAhead(t)) : null,
                TaskRecord.KIND_AGENT.equals(t.kind()) ? agent(t, base) : null);
    }

    /**
     * How much of a task's outputs a response inlines: the screenshot, then the PDF, then the page's HTML, then the
     * action screenshots, each in full while the total stays within {@link #INLINE_BUDGET_BYTES}; an output past the
     * budget (or whose bytes are no longer stored) is given as its download URL instead, so that no answer passes
     * the 6 MB a Lambda response may hold, and a task whose artifact expired still reads.
     */
    private final class Inline {
        private final TaskRecord task;
        private final String base;
        private long left;
        private final java.util.Set<String> skipped = new java.util.HashSet<>();

        Inline(TaskRecord task, long budget, String base) {
            this.task = task;
            this.left = budget;
            this.base = base;
        }

        /** The artifact's bytes if they fit what is left of the budget and are still stored; null otherwise. */
        byte[] bytes(Artifact a) {
            // base64 grows the bytes by a third: the budget counts what the answer carries
            long cost = (a.size() + 2) / 3 * 4;
            if (cost > left) {
                skipped.add(a.id());
                return null;
            }
            try {
                byte[] bytes = tasks.artifactBytes(a);
                left -= cost;
                return bytes;
            } catch (dev.tabrunner.port.NotFoundException gone) {
                skipped.add(a.id());
                return null;
            }
        }

        String base64(Artifact a) {
            byte[] bytes = bytes(a);
            return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
        }

        boolean skipped(Artifact a) {
            return skipped.contains(a.id());
        }

        String url(Artifact a) {
            return pollUrl(task, base) + "/artifacts/" + a.id();
        }
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

    private List<JsonNode> results(TaskRecord t, boolean inlineOutputs, Inline inline) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : t.results()) {
            if (inlineOutputs && r.has("artifactId")) {
                ObjectNode copy = r.deepCopy();
                tasks.artifact(t, r.get("artifactId").asText()).ifPresent(a -> {
                    String encoded = inline.base64(a);
                    if (encoded != null) {
                        copy.put("screenshot", encoded);
                    } else {
                        copy.put("screenshotUrl", inline.url(a));
                    }
                });
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
