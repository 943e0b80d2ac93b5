package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A natural-language task: the agent loop runs as a program in a page the engine prepares, checkpointing after
 * every step; its state (the model's memory and the callers' progress) is what it keeps when it pauses, waits for a
 * person's answer ({@code guardrail_trigger}) or is continued by the next invocation. Its page accepts downloads,
 * and its URLs and network log are stored with the task's secrets concealed.
 */
final class AgentStrategy implements RunStrategy {
    private final TaskRecord claimed;
    private final AgentTasks agents;
    private final String workerId;
    private final Duration lease;
    private final Clock clock;
    private AgentTasks.Prepared prepared;
    private AgentRun agent;
    private JsonNode checkpoint;
    private JsonNode shown;

    AgentStrategy(TaskRecord claimed, AgentTasks agents, String workerId, Duration lease, Clock clock) {
        this.claimed = claimed;
        this.agents = agents;
        this.workerId = workerId;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public void prepare() {
        prepared = agents.prepare(claimed);
    }

    @Override
    public String artifactKeyPrefix() {
        return prepared.request().artifacts().keyPrefix();
    }

    @Override
    public PageProgram program(TaskWriter writer, TaskControl control, EngineListener listener, Progress progress) {
        agent = new AgentRun(prepared, writer, control, listener, progress::artifacts, workerId, lease, clock);
        return agent.program();
    }

    /**
     * URLs are stored with the task's secrets concealed (a GET form may put a password in one); the run that
     * continues the task has the secrets and puts them back to reopen the page. A task that begins at its
     * startingUrl has no use for the session's last page.
     */
    @Override
    public ContextSpec context(Session session, Supplier<String> storageState) {
        boolean navigatesFirst = prepared.request().startingUrl() != null && !prepared.state().started();
        String resumeUrl = navigatesFirst || session.currentUrl() == null ? null
                : prepared.secrets().substitute(session.currentUrl());
        return new ContextSpec(session.options(), storageState, resumeUrl, prepared.request().browsing(), true);
    }

    @Override
    public boolean mayKeepContext() {
        return prepared.secrets().isEmpty();
    }

    @Override
    public java.util.List<String> typedSecrets() {
        return java.util.List.copyOf(prepared.secrets().values().values());
    }

    @Override
    public String collect(EngineOutcome outcome, Session session, Progress progress) {
        // the network log holds full URLs, which may carry what a page was sent (a password in a GET form)
        progress.network = outcome.network() == null ? null
                : (ArrayNode) prepared.secrets().conceal(outcome.network());
        checkpoint = agent.state().checkpointJson();
        shown = agent.state().progressJson();
        return prepared.secrets().conceal(outcome.finalUrl() != null ? outcome.finalUrl() : session.currentUrl());
    }

    @Override
    public TaskStatus held(TaskInterrupted.Reason reason) {
        if (agent.waitingForAnswer()) {
            return TaskStatus.GUARDRAIL;
        }
        return reason == TaskInterrupted.Reason.PAUSE ? TaskStatus.PAUSED : TaskStatus.CREATED;
    }

    @Override
    public TaskRecord.Builder keep(TaskRecord.Builder task) {
        return task.checkpoint(checkpoint).agent(shown);
    }

    @Override
    public String progressNote(Progress progress) {
        return agent.state().stepsTaken() + " step(s)";
    }

    /** The browser goes into its profile when the task asked for that; the final state goes with the task's end. */
    @Override
    public void finish(TaskWriter writer, EngineOutcome outcome) {
        agents.saveProfile(claimed, prepared.request().profile(), outcome.storageState());
    }
}
