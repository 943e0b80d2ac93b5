package dev.tabrunner.worker;

import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.ScriptedProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;

import java.util.List;
import java.util.function.Supplier;

/**
 * A scripted task (seed 000): its action list runs from the first action not done yet; the results so far are its
 * checkpoint. It continues on the page where it stopped, or on the session's last page when it starts.
 */
final class ScriptedStrategy implements RunStrategy {
    private final TaskRecord claimed;
    private final long actionTimeoutMs;
    private TaskRequest request;
    private ScriptedProgram program;
    /** Where the task continues: its own last page when it ran before, else the session's. */
    private String resumeUrl;

    ScriptedStrategy(TaskRecord claimed, long actionTimeoutMs) {
        this.claimed = claimed;
        this.actionTimeoutMs = actionTimeoutMs;
    }

    @Override
    public void prepare() {
        try {
            request = TaskRequestParser.parse(claimed.request());
        } catch (InvalidRequestException e) {
            throw new CannotRun(new TaskError(400, "invalid_request", e.getMessage(), e.actionIndex(),
                    e.actionType()));
        }
    }

    @Override
    public PageProgram program(TaskWriter writer, TaskControl control, EngineListener listener, Progress progress) {
        program = new ScriptedProgram(request, claimed.results(), listener, control, actionTimeoutMs);
        return program;
    }

    @Override
    public ContextSpec context(Session session, Supplier<String> storageState) {
        boolean resuming = !claimed.results().isEmpty();
        resumeUrl = resuming && claimed.finalUrl() != null ? claimed.finalUrl() : session.currentUrl();
        // the session's allowedDomains hold for its scripted tasks too; an agent task carries them in its request
        List<String> allowed = session.options().allowedDomains();
        return new ContextSpec(session.options(), storageState, program.navigatesFirst() ? null : resumeUrl,
                allowed.isEmpty() ? BrowsingOptions.NONE : new BrowsingOptions(allowed, false, null, false), false);
    }

    /** A vault password the task fills keeps nothing warm by itself (the engine sees to that). */
    @Override
    public boolean mayKeepContext() {
        return true;
    }

    @Override
    public String collect(EngineOutcome outcome, Session session, Progress progress) {
        progress.results = program.results();
        progress.network = outcome.network();
        // a run that lost its browser before it could open a page is where it would have continued
        return outcome.finalUrl() != null ? outcome.finalUrl()
                : resumeUrl != null ? resumeUrl : session.currentUrl();
    }

    @Override
    public TaskStatus held(TaskInterrupted.Reason reason) {
        return reason == TaskInterrupted.Reason.PAUSE ? TaskStatus.PAUSED : TaskStatus.CREATED;
    }

    @Override
    public TaskRecord.Builder keep(TaskRecord.Builder task) {
        return task.results(program.results());
    }

    @Override
    public String progressNote(Progress progress) {
        return progress.results.size() + " action(s)";
    }

    @Override
    public void finish(TaskWriter writer, EngineOutcome outcome) {
        // the results are the task's own record; nothing else to keep
    }
}
