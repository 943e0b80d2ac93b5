package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.http.AgentApiSettings;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskDispatcher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Natural-language tasks (seed 001): accepts them in a session or in a session of their own (created for the task
 * and ended with it), waits boundedly for them, and passes a person's answer to a task that asked.
 */
@Singleton
public final class AgentTaskService {
    private final SessionService sessions;
    private final FileService files;
    private final TaskDispatcher dispatcher;
    private final AgentApiSettings settings;
    private final ModelRouter models;
    private final Clock clock;
    private final TaskService tasks;
    private final TaskSubmission submission;

    public AgentTaskService(SessionService sessions, FileService files, TaskDispatcher dispatcher,
                            AgentApiSettings settings, ModelRouter models, Clock clock, TaskService tasks,
                            TaskSubmission submission) {
        this.sessions = sessions;
        this.files = files;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.models = models;
        this.clock = clock;
        this.tasks = tasks;
        this.submission = submission;
    }

    /**
     * Validates, stores and dispatches a natural-language task in a session; its {@code environmentId} attaches the
     * session to that environment ({@link SessionService#attach}).
     *
     * @throws ApiException 501 when no language model provider is configured
     */
    public TaskRecord submit(Caller caller, String sessionId, JsonNode body) {
        Session session = sessions.requireActive(caller, sessionId);
        AgentTaskRequestParser.Parsed parsed = check(body, AgentTaskRequestParser.FIELDS);
        String environment = parsed.request().environmentId();
        if (environment != null) {
            session = sessions.attach(session, environment);
        }
        return create(caller, session, parsed, null, UUID.randomUUID().toString(), null);
    }

    /**
     * Starts a task in a session created for it, which ends with the task; if anything fails before the task
     * exists, the session is terminated again.
     *
     * @param parsed  a checked request ({@link #check}) whose session ends with it
     * @param prepare readies the new session before the task is created (files, saved browser state) and returns
     *                it as it now is
     * @param dialect what a compatibility dialect keeps with the task for its own view, or null
     */
    public TaskRecord runInOwnSession(Caller caller, AgentTaskRequestParser.Parsed parsed, SessionOptions options,
                                      UnaryOperator<Session> prepare, DialectData dialect) {
        return runInOwnSession(caller, parsed, options, prepare, dialect, UUID.randomUUID().toString(), null);
    }

    /**
     * As {@link #runInOwnSession(Caller, AgentTaskRequestParser.Parsed, SessionOptions, UnaryOperator,
     * DialectData)}, for a task whose id was chosen beforehand: a copy in a race.
     *
     * @param race the race the task is a copy in, or null
     */
    public TaskRecord runInOwnSession(Caller caller, AgentTaskRequestParser.Parsed parsed, SessionOptions options,
                                      UnaryOperator<Session> prepare, DialectData dialect, String taskId,
                                      TaskRecord.Race race) {
        Session session = sessions.create(caller, options);
        try {
            return create(caller, prepare.apply(session), parsed, dialect, taskId, race);
        } catch (RuntimeException e) {
            sessions.terminate(caller, session.id());
            throw e;
        }
    }

    /**
     * Starts a checked task in an existing session of the caller's, after the session's earlier tasks.
     *
     * @param dialect what a compatibility dialect keeps with the task for its own view, or null
     */
    public TaskRecord runInSession(Caller caller, Session session, AgentTaskRequestParser.Parsed parsed,
                                   DialectData dialect) {
        return create(caller, session, parsed, dialect, UUID.randomUUID().toString(), null);
    }

    /**
     * Checks a natural-language task body: a model must be configured and the model asked for known.
     *
     * @param allowed every field the body may hold, the agent's included
     * @throws ApiException 501 when no language model provider is configured
     */
    public AgentTaskRequestParser.Parsed check(JsonNode body, Set<String> allowed) {
        if (!models.configured()) {
            throw new ApiException(501, "llm_not_configured", "natural-language tasks need a language model"
                    + " provider, and none is configured: set TABRUNNER_LLM_BASE_URL (an OpenAI-compatible"
                    + " endpoint) or TABRUNNER_LLM_PROVIDER=bedrock. Scripted tasks (actions) work without one.");
        }
        AgentTaskRequestParser.Parsed parsed = AgentTaskRequestParser.parse(body, allowed);
        models.route(parsed.request().model());
        String environment = parsed.request().environmentId();
        if (environment != null && !BrowserProfile.ID.matcher(environment).matches()) {
            throw ApiException.badRequest("environmentId", "must be an environment's id"
                    + " (POST /browser/environments)");
        }
        return parsed;
    }

    /**
     * Stores the task as the worker reads it: its files named by name (ids resolved), and its browser limited to
     * the domains both the session and the task allow.
     */
    private TaskRecord create(Caller caller, Session session, AgentTaskRequestParser.Parsed parsed,
                              DialectData dialect, String taskId, TaskRecord.Race race) {
        AgentTaskRequest request = parsed.request();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < request.files().size(); i++) {
            String idOrName = request.files().get(i);
            int index = i;
            UploadedFile file = files.find(caller.tenantId(), session.id(), idOrName).orElseThrow(
                    () -> new NotFoundException("file_not_found", "files[" + index + "]: no file with the id"
                            + " or name '" + idOrName + "' was uploaded to session " + session.id()
                            + " (POST /browser/sessions/{id}/files)"));
            if (!names.contains(file.name())) {
                names.add(file.name());
            }
        }
        request = request.withFiles(names);
        request = request.with(withinSession(session, request.browsing()), request.profile(), request.liveView());
        return submission.submit(caller, session, TaskRecord.KIND_AGENT, request.toJson(), parsed.secrets(),
                dialect, taskId, race);
    }

    /**
     * The task's browsing rules with the session's {@code allowedDomains}: the session's when the task names none,
     * the task's own when they lie inside the session's.
     *
     * @throws ApiException 400 naming an entry of the task's list the session does not allow
     */
    private static BrowsingOptions withinSession(Session session, BrowsingOptions browsing) {
        List<String> outer = session.options().allowedDomains();
        if (outer.isEmpty()) {
            return browsing;
        }
        if (browsing.allowedDomains().isEmpty()) {
            return new BrowsingOptions(outer, browsing.adblock(), browsing.proxyCountry(),
                    browsing.highlightElements());
        }
        DomainAllowList sessionList = DomainAllowList.of(outer);
        for (int i = 0; i < browsing.allowedDomains().size(); i++) {
            if (!sessionList.covers(browsing.allowedDomains().get(i))) {
                throw ApiException.badRequest("allowedDomains[" + i + "]", "'" + browsing.allowedDomains().get(i)
                        + "' is outside the session's allowedDomains " + outer);
            }
        }
        return browsing;
    }

    /**
     * Waits up to the agent bound (50 s by default) for the task to end or to need a person; returns its latest
     * state either way.
     */
    public TaskRecord await(TaskRecord task) {
        return tasks.awaitEnd(task, settings.syncWait());
    }

    /** As {@link #await(TaskRecord)}, stopping at {@code answerBy} at the latest. */
    public TaskRecord await(TaskRecord task, java.time.Instant answerBy) {
        return tasks.awaitEnd(task, answerBy);
    }

    /** How long a natural-language task's POST waits ({@code TABRUNNER_AGENT_SYNC_WAIT_MS}). */
    public Duration syncWait() {
        return settings.syncWait();
    }

    /**
     * Gives the answer to the question a task waits on ({@code guardrail_trigger}) and sends it on, on whichever
     * worker takes it.
     *
     * @throws ConflictException when the task is not waiting for an answer
     */
    public TaskRecord respond(Caller caller, String sessionId, String taskId, String answer) {
        TaskRecord next = tasks.change(caller, sessionId, taskId, t -> {
            if (t.status() != TaskStatus.GUARDRAIL) {
                throw new ConflictException("task_not_waiting", "task " + taskId + " is " + t.status().nativeName()
                        + "; only a task in guardrail_trigger waits for an answer");
            }
            ObjectNode agent = t.agent() != null && t.agent().isObject() ? ((ObjectNode) t.agent()).deepCopy()
                    : Json.mapper().createObjectNode();
            agent.put("answer", answer);
            return t.toBuilder().status(TaskStatus.CREATED).agent(agent).lease(null, clock.instant()).build();
        });
        dispatcher.dispatch(next);
        return next;
    }
}
