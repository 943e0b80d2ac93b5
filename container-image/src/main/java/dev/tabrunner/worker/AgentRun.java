package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.agent.AgentHooks;
import dev.tabrunner.agent.AgentLoop;
import dev.tabrunner.agent.AgentOutcome;
import dev.tabrunner.agent.AgentState;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One run of an agent task inside the worker: the agent loop as a {@link PageProgram}, with hooks that checkpoint
 * through the task's writer, obey stop and pause requests between steps (and stop requests while the model
 * thinks), and let go of the task while a question waits for a person.
 */
final class AgentRun implements AgentHooks {
    private final AgentTasks.Prepared prepared;
    private final TaskWriter writer;
    private final TaskControl control;
    private final EngineListener listener;
    private final Supplier<List<Artifact>> artifacts;
    private final String workerId;
    private final Duration lease;
    private final Clock clock;
    private volatile boolean waitingForAnswer;
    private dev.tabrunner.engine.PageActions actions;

    AgentRun(AgentTasks.Prepared prepared, TaskWriter writer, TaskControl control, EngineListener listener,
             Supplier<List<Artifact>> artifacts, String workerId, Duration lease, Clock clock) {
        this.prepared = prepared;
        this.writer = writer;
        this.control = control;
        this.listener = listener;
        this.artifacts = artifacts;
        this.workerId = workerId;
        this.lease = lease;
        this.clock = clock;
    }

    PageProgram program() {
        return (page, pageActions) -> {
            this.actions = pageActions;
            AgentLoop loop = new AgentLoop(prepared.request(), prepared.secrets(), prepared.model(),
                    prepared.route().model(), prepared.route().providerModelId(), pageActions::run, this, clock,
                    prepared.settings());
            AgentOutcome outcome = loop.run(page, prepared.state());
            return outcome.completed() ? null : outcome.error();
        };
    }

    AgentState state() {
        return prepared.state();
    }

    /** True when the run let go because a question waits for its answer. */
    boolean waitingForAnswer() {
        return waitingForAnswer;
    }

    /**
     * Writes the checkpoint behind the browser (the next step starts while it is stored), then obeys the
     * requests the task carries: the next step does not start after a stop or pause.
     */
    @Override
    public void stepCompleted(AgentState state) {
        JsonNode checkpoint = state.checkpointJson();
        JsonNode progress = state.progressJson();
        List<Artifact> produced = artifacts.get();
        writer.writeBehind(t -> t.toBuilder().checkpoint(checkpoint).agent(progress).artifacts(produced)
                .lease(workerId, clock.instant().plus(lease)).build());
        control.betweenActions();
    }

    @Override
    public void duringStep() {
        control.duringAction();
    }

    @Override
    public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
        return listener.saveArtifact(kind, filename, contentType, bytes);
    }

    /**
     * The answer {@code POST .../respond} left on the task, if any; otherwise the run lets go (the task waits in
     * {@code guardrail_trigger} without holding a browser) and the respond dispatches it again.
     */
    @Override
    public String askHuman(String question, AgentState state) {
        writer.await();
        TaskRecord current = writer.current();
        JsonNode answer = current.agent() == null ? null : current.agent().get("answer");
        if (answer != null && answer.isTextual()) {
            return answer.textValue();
        }
        waitingForAnswer = true;
        throw new TaskInterrupted(TaskInterrupted.Reason.PAUSE, "waiting for a person to answer");
    }

    @Override
    public String redact(String text) {
        return actions == null ? text : actions.redact(text);
    }
}
