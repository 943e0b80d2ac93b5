package dev.tabrunner.browseruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.AgentTaskService;
import dev.tabrunner.tasks.EnvironmentService;
import dev.tabrunner.tasks.FileService;
import dev.tabrunner.tasks.TaskService;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The browser-use v1 Tasks API (seeds 002 and 004) over the agent: every v1 task is a natural-language task in a
 * session of its own, started from the caller's browser profile, with the v1 options turned into the task's
 * browsing rules. What only the v1 view needs (the task text as given, metadata, the share token, uploaded file
 * names) is kept with the task as its dialect data ({@link V1TaskData}).
 */
@Singleton
public final class BrowserUseV1Service {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What the agent is told when a person resumes a task that asked them something without answering. */
    static final String NO_ANSWER = "(no answer: the task was resumed without one; the person may have acted in the"
            + " live view meanwhile. Look at the page again and carry on by your own judgement.)";

    private final AgentTaskService agents;
    private final TaskService tasks;
    private final TaskStore store;
    private final SessionStore sessions;
    private final FileService fileService;
    private final FileStore files;
    private final BlobStore blobs;
    private final UpstreamProxies proxies;
    private final EnvironmentService environments;
    private final Clock clock;

    public BrowserUseV1Service(AgentTaskService agents, TaskService tasks, TaskStore store, SessionStore sessions,
                               FileService fileService, FileStore files, BlobStore blobs, UpstreamProxies proxies,
                               EnvironmentService environments, Clock clock) {
        this.environments = environments;
        this.agents = agents;
        this.tasks = tasks;
        this.store = store;
        this.sessions = sessions;
        this.fileService = fileService;
        this.files = files;
        this.blobs = blobs;
        this.proxies = proxies;
        this.clock = clock;
    }

    /** Where a tenant's v1 uploads are kept in the file store (they belong to no session until a task uses them). */
    static String uploadsOf(String tenantId) {
        return "v1-uploads-" + tenantId;
    }

    /**
     * Validates, stores and dispatches a v1 task.
     *
     * @throws RequestProblems when an option cannot be honoured here (no proxy for the country, a file not
     *                         uploaded)
     */
    public TaskRecord run(Caller caller, BrowserUseV1Request r) {
        AgentTaskRequestParser.Parsed checked = agents.check(r.toAgentBody(), AgentTaskRequestParser.FIELDS);
        String country = proxyCountry(r);
        List<UploadedFile> uploads = uploads(caller, r.includedFileNames());
        BrowserProfile profile = new BrowserProfile(r.browserProfileId() == null ? BrowserProfile.DEFAULT_ID
                : r.browserProfileId(), r.saveBrowserData());
        if (profile.save()) {
            // a profile saved into is an environment of the native API too
            environments.ensure(caller.tenantId(), profile.id());
        }
        BrowsingOptions browsing = new BrowsingOptions(r.allowedDomains(), r.useAdblock(), country,
                r.highlightElements());
        AgentTaskRequest request = checked.request().with(browsing, profile, true).terminatingSession();
        V1TaskData data = new V1TaskData(r.task(), r.llmModel(), r.saveBrowserData(), r.includedFileNames(),
                r.metadata(), r.enablePublicShare() ? newShareToken() : null,
                r.useProxy() ? r.proxyCountryCode() : null, country);
        SessionOptions session = new SessionOptions(new Viewport(r.viewportWidth(), r.viewportHeight()), null, null,
                null, SessionOptions.DEFAULT_INACTIVITY_TIMEOUT_MS);
        return agents.runInOwnSession(caller, new AgentTaskRequestParser.Parsed(request, checked.secrets()),
                session, s -> prepare(s, profile, uploads), data.toDialectData());
    }

    private static String newShareToken() {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * The proxy the task's browser goes through, or null to run without one. Left at the defaults, a deployment
     * without a proxy for the default country connects directly, so a plain request works everywhere; asked for in
     * so many words (use_proxy or proxy_country_code given), a country without a proxy is refused on a deployment
     * that promises proxies ({@link UpstreamProxies#strict}) and run without one elsewhere. The task's view says
     * which it was.
     */
    private String proxyCountry(BrowserUseV1Request r) {
        if (!r.useProxy()) {
            return null;
        }
        String country = r.proxyCountryCode();
        if (proxies.offers(country)) {
            return country;
        }
        if ((!r.useProxyGiven() && !r.proxyCountryGiven()) || !proxies.strict()) {
            return null;
        }
        String setting = UpstreamProxies.SETTING_PREFIX + country.toUpperCase(Locale.ROOT);
        throw RequestProblems.of(List.of("body", "proxy_country_code"), "Value error, no proxy is"
                + " configured for '" + country + "' in this deployment (the operator sets " + setting + ")"
                + (proxies.countries().isEmpty() ? "; none is configured" : "; configured: " + proxies.countries())
                + "; or send use_proxy: false to connect directly", "value_error");
    }

    private List<UploadedFile> uploads(Caller caller, List<String> names) {
        List<UploadedFile> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Optional<UploadedFile> f = files.find(caller.tenantId(), uploadsOf(caller.tenantId()), names.get(i));
            if (f.isEmpty()) {
                throw RequestProblems.of(List.of("body", "included_file_names", i), "Value error, no"
                        + " file named '" + names.get(i) + "' was uploaded; upload it first with POST"
                        + " /api/v1/uploads?file_name=" + names.get(i), "value_error");
            }
            out.add(f.get());
        }
        return out;
    }

    /** Gives the new session the profile's saved browser state and the task's files. */
    private Session prepare(Session session, BrowserProfile profile, List<UploadedFile> uploads) {
        for (UploadedFile u : uploads) {
            files.put(u.in(session.id(), clock.instant()));
        }
        String key = BrowserProfile.stateKey(session.tenantId(), profile.id());
        if (blobs.get(key).isEmpty()) {
            return session;
        }
        Session withState = session.withState(null, key, clock.instant());
        return sessions.update(withState, session.version());
    }

    /** A v1 task of the caller's. */
    public TaskRecord get(Caller caller, String taskId) {
        return store.find(caller.tenantId(), taskId).filter(V1TaskData::isV1)
                .orElseThrow(() -> new NotFoundException("task_not_found", "Task not found"));
    }

    public TaskStore.Slice<TaskRecord> list(Caller caller, int page, int limit) {
        long offset = (long) (page - 1) * limit;
        if (offset > Integer.MAX_VALUE) {
            return new TaskStore.Slice<>(List.of(), store.listByDialect(caller.tenantId(), BrowserUseV1Dialect.NAME,
                    0, 0).total());
        }
        return store.listByDialect(caller.tenantId(), BrowserUseV1Dialect.NAME, (int) offset, limit);
    }

    public void stop(Caller caller, String taskId) {
        TaskRecord t = get(caller, taskId);
        tasks.stop(caller, t.sessionId(), t.id());
    }

    public void pause(Caller caller, String taskId) {
        TaskRecord t = get(caller, taskId);
        tasks.pause(caller, t.sessionId(), t.id());
    }

    /**
     * Resumes a paused task. A task shown as paused because its agent asked a person something (v1 has no way to
     * answer) goes on without an answer: the agent is told so and carries on by its own judgement, or with what the
     * person did in the live view meanwhile.
     *
     * @throws ConflictException when the task is not paused; a stopped task can never be resumed
     */
    public void resume(Caller caller, String taskId) {
        TaskRecord t = get(caller, taskId);
        if (t.status() == TaskStatus.GUARDRAIL) {
            agents.respond(caller, t.sessionId(), t.id(), NO_ANSWER);
            return;
        }
        tasks.resume(caller, t.sessionId(), t.id());
    }

    /** Stores a file for later tasks' {@code included_file_names}; a file of the same name is replaced. */
    public UploadedFile upload(Caller caller, String fileName, String contentType, byte[] bytes) {
        return upload(caller.tenantId(), fileName, contentType, bytes);
    }

    /** As {@link #upload(Caller, String, String, byte[])}, for the tenant an upload link was handed to. */
    public UploadedFile upload(String tenantId, String fileName, String contentType, byte[] bytes) {
        return fileService.store(tenantId, uploadsOf(tenantId), fileName, contentType, bytes);
    }

    /** The cookies a task saved ({@code save_browser_data}), once it has ended; empty before or without. */
    public Optional<JsonNode> browserData(TaskRecord t) {
        if (!t.status().isTerminal() || !V1TaskData.of(t).saveBrowserData()) {
            return Optional.empty();
        }
        return blobs.get(BrowserProfile.taskDataKey(t.tenantId(), t.id())).flatMap(bytes -> {
            try {
                return Optional.of(Json.mapper().readTree(bytes));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * The task a public share link names, if the link's token is the task's own.
     *
     * @throws NotFoundException for any other link (unknown task, sharing off, wrong token), alike
     */
    public TaskRecord shared(String taskId, String token) {
        TaskRecord t = store.findForWorker(taskId).filter(V1TaskData::isV1).orElse(null);
        String expected = t == null ? null : V1TaskData.of(t).shareToken();
        if (expected == null || token == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw new NotFoundException("share_not_found", "no shared task for this link");
        }
        return t;
    }
}
