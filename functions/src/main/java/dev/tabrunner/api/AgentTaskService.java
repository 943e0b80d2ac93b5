package dev.tabrunner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.TaskEnds;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Natural-language tasks (seed 001): accepts them in a session or in a session of their own (run-task), keeps
 * their secrets in the vault, waits boundedly for them, and passes a person's answer to a task that asked.
 */
@Singleton
public final class AgentTaskService {
    private static final int MAX_ANSWER = 10_000;
    private static final int ATTEMPTS = 10;
    private static final Set<String> SESSION_FIELDS = Set.of("viewport", "userAgent", "locale", "timezoneId",
            "inactivityTimeoutMs");

    private final SessionService sessions;
    private final TaskStore tasks;
    private final FileStore files;
    private final TaskDispatcher dispatcher;
    private final ApiSettings apiSettings;
    private final AgentApiSettings settings;
    private final ModelRouter models;
    private final TaskEnds ends;
    private final Clock clock;
    private final TaskService scripted;

    public AgentTaskService(SessionService sessions, TaskStore tasks, FileStore files, TaskDispatcher dispatcher,
                            ApiSettings apiSettings, AgentApiSettings settings,
                            ModelRouter models, TaskEnds ends, Clock clock, TaskService scripted) {
        this.scripted = scripted;
        this.sessions = sessions;
        this.tasks = tasks;
        this.files = files;
        this.dispatcher = dispatcher;
        this.apiSettings = apiSettings;
        this.settings = settings;
        this.models = models;
        this.ends = ends;
        this.clock = clock;
    }

    /** True when the body asks for a natural-language task rather than a scripted one. */
    public static boolean isAgentTask(JsonNode body) {
        return body.has("taskDetails");
    }

    /**
     * Validates, stores and dispatches a natural-language task in a session.
     *
     * @throws ApiException 501 when no language model provider is configured
     */
    public TaskRecord submit(Caller caller, String sessionId, JsonNode body) {
        Session session = sessions.requireActive(caller, sessionId);
        AgentTaskRequestParser.Parsed parsed = parse(body, AgentTaskRequestParser.FIELDS);
        return create(caller, session, parsed, null);
    }

    /**
     * The single-task pattern: a session created for the task (session options may be given alongside the task's
     * fields) and terminated when the task ends, whatever its end.
     */
    public TaskRecord runTask(Caller caller, JsonNode body) {
        Set<String> allowed = new HashSet<>(AgentTaskRequestParser.FIELDS);
        allowed.addAll(SESSION_FIELDS);
        AgentTaskRequestParser.Parsed parsed = parse(body, allowed);
        if (body.has("terminateOnCompletion") && !body.get("terminateOnCompletion").asBoolean(true)) {
            throw ApiException.badRequest("terminateOnCompletion", "a run-task session always ends with its task;"
                    + " create a session to keep it");
        }
        AgentTaskRequest r = parsed.request();
        AgentTaskRequest once = r.terminatingSession();
        ObjectNode sessionOptions = Json.mapper().createObjectNode();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (SESSION_FIELDS.contains(name)) {
                sessionOptions.set(name, body.get(name));
            }
        }
        return runInOwnSession(caller, new AgentTaskRequestParser.Parsed(once, parsed.secrets()), sessionOptions,
                session -> session, null);
    }

    /**
     * Starts a task in a session created for it, which ends with the task; if anything fails before the task
     * exists, the session is terminated again.
     *
     * @param prepare readies the new session before the task is created (files, saved browser state) and returns
     *                it as it now is
     * @param dialect what a compatibility dialect keeps with the task for its own view, or null
     */
    public TaskRecord runInOwnSession(Caller caller, AgentTaskRequestParser.Parsed parsed, ObjectNode sessionOptions,
                                      java.util.function.UnaryOperator<Session> prepare, ObjectNode dialect) {
        Session session = sessions.create(caller, sessionOptions);
        try {
            return create(caller, prepare.apply(session), parsed, dialect);
        } catch (RuntimeException e) {
            sessions.terminate(caller, session.id());
            throw e;
        }
    }

    /**
     * Checks a natural-language task body as {@link #submit} does (a model must be configured, the model known).
     *
     * @throws ApiException 501 when no language model provider is configured
     */
    public AgentTaskRequestParser.Parsed check(JsonNode body) {
        return parse(body, AgentTaskRequestParser.FIELDS);
    }

    private AgentTaskRequestParser.Parsed parse(JsonNode body, Set<String> allowed) {
        if (!models.configured()) {
            throw new ApiException(501, "llm_not_configured", "natural-language tasks need a language model"
                    + " provider, and none is configured: set TABRUNNER_LLM_BASE_URL (an OpenAI-compatible"
                    + " endpoint) or TABRUNNER_LLM_PROVIDER=bedrock. Scripted tasks (actions) work without one.");
        }
        AgentTaskRequestParser.Parsed parsed = AgentTaskRequestParser.parse(body, allowed);
        models.route(parsed.request().model());
        if (parsed.request().environmentId() != null) {
            throw new ApiException(501, "environments_not_supported", "environments are not available in this"
                    + " deployment yet; leave environmentId out", Map.of("field", "environmentId"));
        }
        return parsed;
    }

    private TaskRecord create(Caller caller, Session session, AgentTaskRequestParser.Parsed parsed,
                              ObjectNode dialect) {
        for (int i = 0; i < parsed.request().files().size(); i++) {
            String name = parsed.request().files().get(i);
            if (files.find(caller.tenantId(), session.id(), name).isEmpty()) {
                throw new NotFoundException("file_not_found", "files[" + i + "]: no file named '" + name
                        + "' was uploaded to session " + session.id() + " (POST /browser/sessions/{id}/files)");
            }
        }
        if (tasks.countUnfinished(caller.tenantId(), apiSettings.maxTasks()) >= apiSettings.maxTasks()) {
            throw new ApiException(429, "too_many_tasks", "this tenant has " + apiSettings.maxTasks()
                    + " tasks waiting or running, its limit; retry when some have finished",
                    Map.of("retryAfterSeconds", 5));
        }
        ObjectNode stored = parsed.request().toJson();
        if (dialect != null) {
            stored.set(AgentTaskRequestParser.DIALECT_FIELD, dialect);
        }
        TaskRecord task = TaskRecord.created(UUID.randomUUID().toString(), caller.tenantId(), session.id(),
                TaskRecord.KIND_AGENT, stored, clock.instant());
        // the values go to the vault before the task exists, so that no worker can start without them
        ends.seal(caller.tenantId(), task.id(), parsed.secrets());
        try {
            tasks.create(task);
        } catch (RuntimeException e) {
            ends.discard(caller.tenantId(), task.id());
            throw e;
        }
        dispatcher.dispatch(task);
        return task;
    }

    /**
     * Waits up to the agent bound (50 s by default) for the task to end or to need a person; returns its latest
     * state either way.
     */
    public TaskRecord await(TaskRecord task) {
        return scripted.awaitEnd(task, settings.syncWait());
    }

    /**
     * Gives the answer to the question a task waits on ({@code guardrail_trigger}) and sends it on, on whichever
     * worker takes it.
     *
     * @throws ConflictException when the task is not waiting for an answer
     */
    public TaskRecord respond(Caller caller, String sessionId, String taskId, JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("answer")) {
                throw ApiException.badRequest(name, "unknown field; the body is {\"answer\": \"...\"}");
            }
        }
        JsonNode a = body.get("answer");
        if (a == null || !a.isTextual() || a.textValue().isBlank()) {
            throw ApiException.badRequest("answer", "is required: the answer to the task's question");
        }
        if (a.textValue().length() > MAX_ANSWER) {
            throw ApiException.badRequest("answer", "must be at most " + MAX_ANSWER + " characters");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            TaskRecord t = tasks.find(caller.tenantId(), taskId).filter(x -> x.sessionId().equals(sessionId))
                    .orElseThrow(() -> new NotFoundException("task_not_found", "task " + taskId + " not found"));
            if (t.status() != TaskStatus.GUARDRAIL) {
                throw new ConflictException("task_not_waiting", "task " + taskId + " is " + t.status().nativeName()
                        + "; only a task in guardrail_trigger waits for an answer");
            }
            ObjectNode agent = t.agent() != null && t.agent().isObject() ? ((ObjectNode) t.agent()).deepCopy()
                    : Json.mapper().createObjectNode();
            agent.put("answer", a.textValue());
            TaskRecord next = t.toBuilder().status(TaskStatus.CREATED).agent(agent).lease(null, clock.instant())
                    .build();
            try {
                tasks.update(next);
            } catch (ConflictException e) {
                continue;
            }
            dispatcher.dispatch(next);
            return next;
        }
        throw new ConflictException("task_busy", "task " + taskId + " kept changing; retry");
    }
}
