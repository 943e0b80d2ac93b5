package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.agent.ActionRunner;
import dev.tabrunner.agent.AgentHooks;
import dev.tabrunner.agent.AgentLoop;
import dev.tabrunner.agent.AgentOutcome;
import dev.tabrunner.agent.AgentState;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.LiveInput;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * One run of an agent task inside the worker: the agent loop as a {@link PageProgram}, with hooks that checkpoint
 * through the task's writer, obey stop and pause requests between steps (and stop requests while the model
 * thinks), and let go of the task while a question waits for a person. Every run has a live view whose frames
 * start once someone watches ({@link LiveViewHandle}); a task that asked for one paints from its start. The person's
 * clicks and keys are applied between actions.
 */
final class AgentRun implements AgentHooks {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRun.class);
    /** How long past the task's longest run its live view stays reachable, should the run overrun. */
    private static final Duration LIVE_VIEW_GRACE = Duration.ofMinutes(10);
    private static final long FRAME_INTERVAL_NANOS = 1_000_000_000L;
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
    /** The page and the run's live view (when the task asked for one); used only on the loop's thread. */
    private Page page;
    private EngineListener.LiveSession live;
    private boolean casting;
    private long lastFrameNanos;

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
            this.page = page;
            if (writer.current().agent() == null) {
                // from here on the task shows its (empty) progress: callers can tell a task whose browser is up
                // from one a worker has only claimed (the browsing API's "running" and "assigned")
                JsonNode progress = prepared.state().progressJson();
                writer.writeBehind(t -> t.toBuilder().agent(progress).build());
            }
            if (prepared.request().liveView()) {
                openLiveView();
            }
            try {
                ActionRunner runner = live == null ? pageActions::run : (p, action) -> {
                    try {
                        return pageActions.run(p, action);
                    } finally {
                        publishFrame();
                    }
                };
                AgentLoop loop = new AgentLoop(prepared.request(), prepared.secrets(), prepared.model(),
                        prepared.route().model(), prepared.route().providerModelId(), runner, this, clock,
                        prepared.settings());
                AgentOutcome outcome = loop.run(page, prepared.state());
                return outcome.completed() ? null : outcome.error();
            } finally {
                closeLiveView();
            }
        };
    }

    /**
     * The task asked for a live view: its frames flow from the start, watched or not (every run has a view; this
     * one does not wait for a viewer to paint). The view closes with the run, however it ends.
     */
    private void openLiveView() {
        try {
            live = listener.openLiveView(Duration.ofMillis(prepared.request().maxDurationMs())
                    .plus(LIVE_VIEW_GRACE));
        } catch (StoreUnavailableException e) {
            // the task matters more than watching it
            LOG.warn("task {} runs without its live view: {}", writer.current().id(), e.getMessage());
            return;
        }
        casting = live.cast(page);
        publishFrame();
    }

    /** A screenshot when the page cannot be cast; with a screencast, Chromium sends frames as the page changes. */
    private void publishFrame() {
        lastFrameNanos = System.nanoTime();
        if (casting) {
            return;
        }
        byte[] frame = LiveInput.frame(page);
        if (frame != null) {
            live.publishFrame(frame);
        }
    }

    private void closeLiveView() {
        if (live == null) {
            return;
        }
        try {
            live.close();
        } catch (RuntimeException e) {
            // the task was lost or ended meanwhile: what ended the run says so, not this
            LOG.debug("closing the live view of task {}: {}", writer.current().id(), e.getMessage());
        } finally {
            live = null;
        }
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
        if (page == null) {
            return;
        }
        // while the model thinks the page may still change (it loads, animates): a viewer who arrives now sees it
        // start, and its frames keep coming; without a screencast the view gets a screenshot about once a second
        listener.meanwhile(page);
        if (live != null && !casting && System.nanoTime() - lastFrameNanos > FRAME_INTERVAL_NANOS) {
            publishFrame();
        }
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
