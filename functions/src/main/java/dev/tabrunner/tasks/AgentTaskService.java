package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.http.AgentApiSettings;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskDispatcher;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Map;
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
    private final FileStore files;
    private final TaskDispatcher dispatcher;
    private final AgentApiSettings settings;
    private final ModelRouter models;
    private final Clock clock;
    private final TaskService tasks;
    private final TaskSubmission submission;

    public AgentTaskService(SessionService sessions, FileStore files, TaskDispatcher dispatcher,
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
     * Validates, stores and dispatches a natural-language task in a session.
     *
     * @throws ApiException 501 when no language model provider is configured
     */
    public TaskRecord submit(Caller caller, String sessionId, JsonNode body) {
        Session session = sessions.requireActive(caller, sessionId);
        AgentTaskRequestParser.Parsed parsed = check(body, AgentTaskRequestParser.FIELDS);
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
        if (parsed.request().environmentId() != null) {
            throw new ApiException(501, "environments_not_supported", "environments are not available in this"
                    + " deployment yet; leave environmentId out", Map.of("field", "environmentId"));
        }
        return parsed;
    }

    private TaskRecord create(Caller caller, Session session, AgentTaskRequestParser.Parsed parsed,
                              DialectData dialect, String taskId, TaskRecord.Race race) {
        for (int i = 0; i < parsed.request().files().size(); i++) {
            String name = parsed.request().files().get(i);
            if (files.find(caller.tenantId(), session.id(), name).isEmpty()) {
                throw new NotFoundException("file_not_found", "files[" + i + "]: no file named '" + name
                        + "' was uploaded to session " + session.id() + " (POST /browser/sessions/{id}/files)");
            }
        }
        return submission.submit(caller, session, TaskRecord.KIND_AGENT, parsed.request().toJson(), parsed.secrets(),
                dialect, taskId, race);
    }

    /**
     * Waits up to the agent bound (50 s by default) for the task to end or to need a person; returns its latest
     * state either way.
     */
    public TaskRecord await(TaskRecord task) {
        return tasks.awaitEnd(task, settings.syncWait());
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
