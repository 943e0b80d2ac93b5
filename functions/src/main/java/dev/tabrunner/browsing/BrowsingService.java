package dev.tabrunner.browsing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentArtifacts;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskCompletions;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.TaskEnds;
import dev.tabrunner.tasks.AgentTaskService;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.tasks.TaskService;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The browsing API (seed 003) over the agent: every browsing task is a natural-language task, with the template's
 * instructions around the caller's text, on a node's egress, in a session of its own (or the shared session its
 * {@code session_key} names), raced as several copies when it asks for {@code fanout}. What the dialect's views
 * need is kept with each copy ({@link BrowsingTaskData}); the race itself is the pipeline's
 * ({@link TaskRecord.Race}, {@link TaskEnds}).
 */
@Singleton
final class BrowsingService {
    private static final Logger LOG = LoggerFactory.getLogger(BrowsingService.class);
    /**
     * How long a browsing session waits for its next task: the life of an idle {@code session_key}. A session of
     * one task ends with it; this only keeps it from expiring while the task waits in the queue.
     */
    static final Duration SESSION_IDLE = Duration.ofHours(1);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int BUSY_LOOK_AT = 200;

    private final AgentTaskService agents;
    private final SessionService sessions;
    private final TaskService tasks;
    private final TaskStore store;
    private final TaskEnds ends;
    private final TaskCompletions completions;
    private final BlobStore blobs;
    private final BrowsingTemplates templates;
    private final BrowsingSettings settings;
    private final Clock clock;

    BrowsingService(AgentTaskService agents, SessionService sessions, TaskService tasks, TaskStore store,
                    TaskEnds ends, TaskCompletions completions, BlobStore blobs, BrowsingTemplates templates,
                    BrowsingSettings settings, Clock clock) {
        this.agents = agents;
        this.sessions = sessions;
        this.tasks = tasks;
        this.store = store;
        this.ends = ends;
        this.completions = completions;
        this.blobs = blobs;
        this.templates = templates;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Validates, stores and dispatches a browsing task (each copy of it).
     *
     * @return the task as created; its first copy's id is the task's id
     * @throws ApiException 400 for an unknown template or a filter no node passes, 501 without a language model
     */
    BrowsingTask submit(Caller caller, BrowsingRequest r) {
        BrowsingTemplates.Template template = templates.find(r.template());
        List<BrowsingNodes.Node> eligible = settings.nodes().eligible(r.filter());
        BrowsingRequest.Screenshots shots = r.screenshots() != null ? r.screenshots() : template.screenshots();
        AgentTaskRequestParser.Parsed checked = check(r, template, shots);
        BrowsingTaskData data = new BrowsingTaskData(caller.keyId(), r.task(), template.stem(), r.sessionKey(), null,
                null, shots == null ? null : shots.mode(), shots != null && shots.fullPage(), null);
        if (r.sessionKey() != null) {
            return new BrowsingTask(List.of(inSharedSession(caller, r, eligible, checked, data)));
        }
        return race(caller, r.fanout(), eligible, checked, data);
    }

    /** The agent's request: the template around the task, its limits, the screenshots' place in the store. */
    private AgentTaskRequestParser.Parsed check(BrowsingRequest r, BrowsingTemplates.Template template,
                                                BrowsingRequest.Screenshots shots) {
        String details = template.wrap(r.task());
        if (details.length() > AgentTaskRequestParser.MAX_TASK_DETAILS) {
            throw ApiException.badRequest("task", "is too long with the template's instructions around it (at"
                    + " most " + AgentTaskRequestParser.MAX_TASK_DETAILS + " characters in all)");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("taskDetails", details);
        if (template.maxSteps() != null) {
            body.put("maxSteps", template.maxSteps());
        }
        if (template.model() != null) {
            body.put("model", template.model());
        }
        AgentTaskRequestParser.Parsed parsed;
        try {
            parsed = agents.check(body, AgentTaskRequestParser.FIELDS);
        } catch (InvalidRequestException e) {
            // the body holds the template's fields alone: whatever is wrong is the operator's to correct
            throw new ApiException(500, "template_invalid", "browsing template '" + template.stem() + "' is not"
                    + " valid here: " + e.getMessage());
        }
        long timeout = r.timeoutMs() != null ? r.timeoutMs() : template.timeoutMs() != null ? template.timeoutMs()
                : AgentTaskRequestParser.DEFAULT_MAX_DURATION_MS;
        AgentArtifacts artifacts = new AgentArtifacts(BrowsingTask.KEY_PREFIX,
                shots != null && shots.mode() == ScreenshotMode.FINAL_ONLY
                        ? new AgentArtifacts.FinalScreenshot(shots.fullPage()) : null);
        AgentTaskRequest request = parsed.request().withMaxDuration(timeout).withArtifacts(artifacts)
                .with(new BrowsingOptions(template.allowedDomains(), false, null, false), null, false);
        return new AgentTaskRequestParser.Parsed(request, parsed.secrets());
    }

    private static AgentTaskRequestParser.Parsed onNode(AgentTaskRequestParser.Parsed p, BrowsingNodes.Node node) {
        AgentTaskRequest r = p.request();
        BrowsingOptions b = r.browsing();
        return new AgentTaskRequestParser.Parsed(r.with(new BrowsingOptions(b.allowedDomains(), b.adblock(),
                node.proxyCountry(), b.highlightElements()), r.profile(), r.liveView()), p.secrets());
    }

    private static SessionOptions sessionOptions() {
        return new SessionOptions(Viewport.DEFAULT, null, null, null, SESSION_IDLE.toMillis());
    }

    /**
     * A task of a shared session: after the session's earlier tasks, on the node they ran on (the first task of a
     * key takes the first eligible node, so that concurrent first tasks agree).
     */
    private TaskRecord inSharedSession(Caller caller, BrowsingRequest r, List<BrowsingNodes.Node> eligible,
                                       AgentTaskRequestParser.Parsed checked, BrowsingTaskData data) {
        Session session = sessions.activeNamed(caller, sessionId(caller.tenantId(), r.sessionKey()),
                sessionOptions());
        // the session's latest task of this generation (an expired key's session starts afresh, anywhere)
        Optional<BrowsingNodes.Node> bound = store.listBySession(caller.tenantId(), session.id(), 1, null).items()
                .stream().filter(t -> !t.createdAt().isBefore(session.createdAt()))
                .filter(BrowsingTaskData::isBrowsing).findFirst()
                .flatMap(t -> settings.nodes().find(BrowsingTaskData.of(t).nodeUid()));
        BrowsingNodes.Node node = bound.orElse(eligible.get(0));
        if (!eligible.contains(node)) {
            throw ApiException.badRequest("filter", "session_key '" + r.sessionKey() + "' runs on node " + node.uid()
                    + (node.countryIso() == null ? "" : " (" + node.countryIso() + ")") + ", which "
                    + BrowsingNodes.describe(r.filter()) + " excludes; a shared session stays on its node");
        }
        return agents.runInSession(caller, session, onNode(checked, node), data.onNode(node, null)
                .toDialectData());
    }

    /**
     * The session a key names: one per tenant and key, under an id derived from both, so that every API instance
     * finds the same one without a table of keys.
     */
    static String sessionId(String tenantId, String sessionKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((tenantId + "\n" + sessionKey).getBytes(StandardCharsets.UTF_8));
            return "browsing-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The task's copies, each in a session of its own on its node: distinct nodes while there are enough. With one
     * copy there is no race.
     */
    private BrowsingTask race(Caller caller, int fanout, List<BrowsingNodes.Node> eligible,
                              AgentTaskRequestParser.Parsed checked, BrowsingTaskData data) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < fanout; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        TaskRecord.Race race = fanout > 1 ? new TaskRecord.Race(ids.get(0), ids) : null;
        List<BrowsingNodes.Node> nodes = BrowsingNodes.spread(eligible, fanout,
                ThreadLocalRandom.current().nextInt(eligible.size()));
        AgentTaskRequestParser.Parsed own = new AgentTaskRequestParser.Parsed(
                checked.request().terminatingSession(), checked.secrets());
        List<TaskRecord> created = new ArrayList<>();
        try {
            for (int i = 0; i < fanout; i++) {
                BrowsingNodes.Node node = nodes.get(i);
                created.add(agents.runInOwnSession(caller, onNode(own, node), sessionOptions(), s -> s,
                        data.onNode(node, i == 0 ? null : ids.get(0)).toDialectData(), ids.get(i), race));
            }
        } catch (RuntimeException e) {
            // a race that could not start in full does not run in part
            for (TaskRecord t : created) {
                try {
                    tasks.stop(caller, t.sessionId(), t.id());
                } catch (ConflictException ended) {
                    // it ended meanwhile
                }
            }
            throw e;
        }
        if (race != null) {
            // a copy that finished before its siblings existed stopped none of them: apply the rule again
            for (String id : ids) {
                store.find(caller.tenantId(), id).filter(t -> t.status() == TaskStatus.FINISHED)
                        .ifPresent(ends::ended);
            }
        }
        return new BrowsingTask(created);
    }

    /**
     * A browsing task of the caller's, by the id the caller was given.
     *
     * @throws NotFoundException for an unknown id, another tenant's task or a task of another dialect, alike
     * @throws ApiException      403 when another API key of the tenant created the task
     */
    BrowsingTask get(Caller caller, String taskId) {
        TaskRecord primary = store.find(caller.tenantId(), taskId).filter(BrowsingTaskData::isBrowsing)
                .filter(t -> BrowsingTaskData.of(t).primaryId() == null)
                .orElseThrow(() -> new NotFoundException("task_not_found", "task " + taskId + " not found"));
        if (!caller.keyId().equals(BrowsingTaskData.of(primary).keyId())) {
            throw ApiException.forbidden("task " + taskId + " belongs to another API key");
        }
        return copiesOf(primary);
    }

    private BrowsingTask copiesOf(TaskRecord primary) {
        if (primary.race() == null) {
            return new BrowsingTask(List.of(primary));
        }
        List<TaskRecord> copies = new ArrayList<>();
        for (String id : primary.race().copies()) {
            if (id.equals(primary.id())) {
                copies.add(primary);
            } else {
                store.find(primary.tenantId(), id).ifPresent(copies::add);
            }
        }
        return new BrowsingTask(copies);
    }

    /**
     * Waits up to {@code bound} for the task to end (a copy to complete, or every copy to end); returns it as it
     * is then, ended or not.
     */
    BrowsingTask await(BrowsingTask task, Duration bound) {
        Instant deadline = clock.instant().plus(bound);
        BrowsingTask current = task;
        while (!current.ended()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            try {
                completions.await(current.decisive().id(), left.compareTo(POLL) < 0 ? left : POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = copiesOf(store.find(task.primary().tenantId(), task.primary().id()).orElse(task.primary()));
        }
        return current;
    }

    /** A screenshot's bytes, found among the task's own screenshots by name. */
    record ScreenshotFile(String contentType, long size, String blobKey) {
    }

    /**
     * One of the task's screenshots, by the name the status document gives it.
     *
     * @throws NotFoundException for a name that is not one of the task's, or a screenshot past its retention
     */
    ScreenshotFile screenshot(BrowsingTask task, String file) {
        Instant expires = task.screenshotsExpireAt();
        BrowsingTask.Screenshot shot = task.screenshots().stream().filter(s -> s.file().equals(file)).findFirst()
                .orElseThrow(() -> new NotFoundException("screenshot_not_found", "task " + task.primary().id()
                        + " has no screenshot named '" + file + "'"));
        if (expires != null && !clock.instant().isBefore(expires)) {
            throw new NotFoundException("screenshot_expired", "the screenshots of task " + task.primary().id()
                    + " were deleted " + BrowsingTask.RETENTION.toDays() + " days after it ended");
        }
        return new ScreenshotFile(shot.artifact().contentType(), shot.artifact().size(), shot.artifact().blobKey());
    }

    Optional<byte[]> bytes(ScreenshotFile file) {
        return blobs.get(file.blobKey());
    }

    /** A link to the file in the blob store (a presigned S3 URL), when the store hands out links. */
    Optional<URI> link(ScreenshotFile file, String name) {
        return blobs.downloadUrl(file.blobKey(), name, file.contentType(), Duration.ofMinutes(5));
    }

    /** Every node, busy while a browsing task of any tenant runs on it. */
    BrowsingViews.Nodes nodes() {
        Set<String> busy = store.listByStatus(TaskStatus.RUNNING, BUSY_LOOK_AT, null).items().stream()
                .filter(BrowsingTaskData::isBrowsing).map(t -> BrowsingTaskData.of(t).nodeUid())
                .collect(Collectors.toSet());
        return new BrowsingViews.Nodes(settings.nodes().all().stream()
                .map(n -> new BrowsingViews.NodeStatus(n.uid(), n.countryIso(), busy.contains(n.uid()) ? "busy"
                        : "free")).toList());
    }

    /** The longest a sync request waits. */
    Duration syncWait() {
        return settings.syncWait();
    }

    /** The 504 of a sync request that stopped waiting; the task goes on. */
    static ApiException stillRunning(BrowsingTask task, Duration waited) {
        LOG.debug("sync request for task {} stopped waiting after {}", task.primary().id(), waited);
        return new ApiException(504, "sync_timeout", "the task did not end within " + waited.toSeconds() + " s;"
                + " it goes on: poll GET /api/v1/browsing/status?task_id=" + task.primary().id(),
                Map.of(BrowsingErrorFormat.TASK_ID, task.primary().id()));
    }
}
