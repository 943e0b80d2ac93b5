package dev.tabrunner.worker;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.engine.ContextSpec;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.engine.EngineOutcome;
import dev.tabrunner.engine.PageProgram;
import dev.tabrunner.engine.TaskControl;
import dev.tabrunner.engine.TaskInterrupted;

import java.util.function.Supplier;

/**
 * What differs between the kinds of task on the worker's one run path ({@link TaskWorker}): how a task is prepared,
 * which program runs in its page, what it keeps when it lets go of the task, and what it does before it ends. One
 * instance serves one run of one task; the worker calls the methods in the order they are declared.
 */
sealed interface RunStrategy permits ScriptedStrategy, AgentStrategy, ConnectStrategy {
    /**
     * Reads the stored request and whatever else the task needs to run.
     *
     * @throws CannotRun when the task cannot run at all; it fails with the error
     */
    void prepare();

    /**
     * The first segment of the blob keys of the files the task produces, when its request names one (see
     * {@link dev.tabrunner.action.AgentArtifacts#keyPrefix()}); null for the default keys. Read after
     * {@link #prepare()}.
     */
    default String artifactKeyPrefix() {
        return null;
    }

    /** The program to run, reporting through the worker's listener and asking the watch whether it may go on. */
    PageProgram program(TaskWriter writer, TaskControl control, EngineListener listener, Progress progress);

    /** The context to run it in: the session's, reopened where the task continues. */
    ContextSpec context(Session session, Supplier<String> storageState);

    /**
     * Whether the session's next task may continue in the context this one leaves: not when the task types secrets
     * of its own into the page, where the next task would find them.
     */
    boolean mayKeepContext();

    /**
     * The values the run may type that the engine does not learn by itself (an agent task's {@code secrets}): a
     * recording masks every input field and redacts them (ADR 0042).
     */
    default java.util.List<String> typedSecrets() {
        return java.util.List.of();
    }

    /**
     * Takes what the run produced (and the program kept) into the task's progress.
     *
     * @return the URL the task is at, as it may be stored
     */
    String collect(EngineOutcome outcome, Session session, Progress progress);

    /** The status of a task that lets go without ending ({@code PAUSE} or {@code YIELD}). */
    TaskStatus held(TaskInterrupted.Reason reason);

    /** What a held task keeps to continue from, added to its write (and to the write that ends it). */
    TaskRecord.Builder keep(TaskRecord.Builder task);

    /** How far the task got, for the log. */
    String progressNote(Progress progress);

    /** What the kind does before its task ends (the task is still running; its end write follows). */
    void finish(TaskWriter writer, EngineOutcome outcome);
}
