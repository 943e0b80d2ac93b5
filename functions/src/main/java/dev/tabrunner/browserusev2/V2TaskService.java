package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.AgentTaskService;
import dev.tabrunner.tasks.FileService;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.tasks.TaskService;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * v2's tasks over the agent: a task in a session of the caller's ({@code sessionId}), or in a session made for it
 * and ended with it, started from a profile. What only the v2 view needs is kept with the task
 * ({@link V2TaskData}).
 */
@Singleton
final class V2TaskService {
    /** The most tasks a filtered list looks through. */
    private static final int MAX_SCANNED = 10_000;
    private static final List<String> STATUSES = List.of("created", "started", "finished", "stopped", "failed");
    /** Where the agent parser's fields are in a v2 body, for its errors. */
    private static final Map<String, String> V2_FIELDS = Map.of("taskDetails", "task", "model", "llm",
            "startingUrl", "startUrl", "maxSteps", "maxSteps", "outputSchema", "structuredOutput",
            "allowedDomains", "allowedDomains", "secrets", "secrets");

    private final AgentTaskService agents;
    private final TaskService tasks;
    private final TaskStore store;
    private final SessionService sessions;
    private final V2SessionService v2Sessions;
    private final FileService files;
    private final ModelRouter models;

    V2TaskService(AgentTaskService agents, TaskService tasks, TaskStore store, SessionService sessions,
                  V2SessionService v2Sessions, FileService files, ModelRouter models) {
        this.agents = agents;
        this.tasks = tasks;
        this.store = store;
        this.sessions = sessions;
        this.v2Sessions = v2Sessions;
        this.files = files;
        this.models = models;
    }

    /**
     * Validates, stores and dispatches a task.
     *
     * @throws RequestProblems   for an option this deployment cannot honour
     * @throws NotFoundException for a session or profile the caller does not have
     */
    TaskRecord create(Caller caller, V2TaskRequest r) {
        if (r.sessionId() != null) {
            return inSession(caller, r);
        }
        V2SessionRequest settings = r.settings();
        String country = v2Sessions.proxyCountry(settings.proxy(), List.of("body", "sessionSettings",
                "proxyCountryCode"));
        var options = v2Sessions.options(caller, settings, V2SessionRequest.AGENT_TIMEOUT_MINUTES);
        AgentTaskRequestParser.Parsed parsed = check(r.toAgentBody(null, List.of(), true), r, country);
        return agents.runInOwnSession(caller, parsed, options, s -> {
            v2Sessions.record(s, V2SessionRecord.AGENT, country, settings, null);
            return s;
        }, data(r).toDialectData());
    }

    /** A task in one of the caller's v2 sessions, after its earlier tasks, with its files. */
    private TaskRecord inSession(Caller caller, V2TaskRequest r) {
        V2SessionService.V2Session v = v2Sessions.get(caller, r.sessionId(), V2SessionRecord.AGENT);
        Session session;
        try {
            session = sessions.requireActive(caller, r.sessionId());
        } catch (NotFoundException e) {
            throw new NotFoundException("session_stopped", "Session " + r.sessionId() + " is stopped. Please start"
                    + " a new session and try again.");
        }
        boolean first = store.listBySession(caller.tenantId(), session.id(), 1, null).items().isEmpty();
        List<String> names = new ArrayList<>();
        List<UploadedFile> held = files.list(caller, session.id());
        // the newest files, as many as a task takes
        held.stream().sorted(Comparator.comparing(UploadedFile::uploadedAt).reversed())
                .limit(AgentTaskRequestParser.MAX_FILES).forEach(f -> names.add(f.name()));
        AgentTaskRequestParser.Parsed parsed = check(r.toAgentBody(first ? v.record().startUrl() : null, names,
                !v.record().keepAlive()), r, v.record().proxyCountry());
        return agents.runInSession(caller, session, parsed, data(r).toDialectData());
    }

    /** The agent's check of the request, its errors at the v2 fields; the task's browsing rules set. */
    private AgentTaskRequestParser.Parsed check(ObjectNode body,
                                                V2TaskRequest r, String proxyCountry) {
        AgentTaskRequestParser.Parsed parsed;
        try {
            parsed = agents.check(body, AgentTaskRequestParser.FIELDS);
        } catch (InvalidRequestException e) {
            String field = e.field() == null ? null : e.field().replaceAll("[\\[.].*", "");
            throw RequestProblems.of(field == null ? List.of("body") : List.of("body", V2_FIELDS.getOrDefault(field,
                    field)), "Value error, " + e.getMessage(), "value_error");
        }
        // browser-use's browsers block ads; so do these
        AgentTaskRequest request = parsed.request().with(new BrowsingOptions(r.allowedDomains(), true, proxyCountry,
                r.highlightElements()), null, true);
        return new AgentTaskRequestParser.Parsed(request, parsed.secrets());
    }

    private V2TaskData data(V2TaskRequest r) {
        String llm = r.llm() != null ? r.llm() : models.route(null).model().name();
        return new V2TaskData(r.task(), llm, r.metadata(), r.structuredOutput() != null);
    }

    /** A v2 task of the caller's. */
    TaskRecord get(Caller caller, String taskId) {
        return store.find(caller.tenantId(), taskId).filter(V2TaskData::isV2)
                .orElseThrow(() -> new NotFoundException("task_not_found", "Task not found"));
    }

    /**
     * A page of the caller's v2 tasks, newest first.
     *
     * @param status {@code filterBy}: one status, or null for all
     * @param after  only tasks created at or after, or null
     * @param before only tasks created before, or null
     */
    V2Views.Page<TaskRecord> list(Caller caller, int size, int number, String sessionId, String status,
                                  String after, String before) {
        if (status != null && !STATUSES.contains(status)) {
            throw RequestProblems.of(List.of("query", "filterBy"), "Input should be one of " + STATUSES, "enum");
        }
        Instant from = instant("after", after);
        Instant to = instant("before", before);
        Predicate<TaskRecord> wanted = t -> (status == null || V2Views.status(t).equals(status))
                && (from == null || !t.createdAt().isBefore(from)) && (to == null || t.createdAt().isBefore(to));
        if (sessionId != null) {
            V2SessionService.V2Session v = v2Sessions.get(caller, sessionId, V2SessionRecord.AGENT);
            return V2Pages.page(v2Sessions.tasks(v.session()).stream().filter(wanted).toList(), size, number);
        }
        if (status == null && from == null && to == null) {
            long offset = (long) (number - 1) * size;
            TaskStore.Slice<TaskRecord> slice = store.listByDialect(caller.tenantId(), BrowserUseV2Dialect.NAME,
                    (int) Math.min(offset, Integer.MAX_VALUE), offset > Integer.MAX_VALUE ? 0 : size);
            return new V2Views.Page<>(slice.items(), slice.total(), number, size);
        }
        List<TaskRecord> all = new ArrayList<>();
        for (int offset = 0; offset < MAX_SCANNED; offset += V2Pages.MAX_SIZE) {
            TaskStore.Slice<TaskRecord> slice = store.listByDialect(caller.tenantId(), BrowserUseV2Dialect.NAME,
                    offset, V2Pages.MAX_SIZE);
            slice.items().stream().filter(wanted).forEach(all::add);
            if (offset + V2Pages.MAX_SIZE >= slice.total()) {
                break;
            }
        }
        return V2Pages.page(all, size, number);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                // browser-use writes naive UTC timestamps
                return LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw RequestProblems.of(List.of("query", name), "Input should be a valid datetime",
                        "datetime_parsing");
            }
        }
    }

    /**
     * {@code PATCH /tasks/{id}}: {@code stop} stops the task; {@code stop_task_and_session} also stops its session.
     *
     * @throws ConflictException when the task has ended already ({@code stop})
     */
    TaskRecord update(Caller caller, String taskId, String action) {
        TaskRecord t = get(caller, taskId);
        if (action.equals("stop")) {
            tasks.stop(caller, t.sessionId(), t.id());
        } else {
            if (!t.status().isTerminal()) {
                try {
                    tasks.stop(caller, t.sessionId(), t.id());
                } catch (ConflictException e) {
                    // it ended meanwhile: the session is stopped all the same
                }
            }
            sessions.terminate(caller, t.sessionId());
        }
        return get(caller, taskId);
    }
}
