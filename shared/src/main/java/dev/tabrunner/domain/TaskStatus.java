package dev.tabrunner.domain;

import java.util.Set;

/**
 * The task state machine. Every change is a conditional write, so two writers never both win:
 * created → running → finished | failed | stopped, running ↔ paused, running → guardrail → running, and
 * running → created when a worker lets go of a task to be continued by the next one (a Lambda near its time limit).
 */
public enum TaskStatus {
    CREATED("started"),
    RUNNING("running"),
    PAUSED("paused"),
    GUARDRAIL("guardrail_trigger"),
    FINISHED("task_completed"),
    FAILED("failed"),
    STOPPED("stopped");

    private final String nativeName;

    TaskStatus(String nativeName) {
        this.nativeName = nativeName;
    }

    /** The name the native dialect (seed 001) uses. */
    public String nativeName() {
        return nativeName;
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == STOPPED;
    }

    public boolean canMoveTo(TaskStatus next) {
        return switch (this) {
            case CREATED -> Set.of(RUNNING, PAUSED, FAILED, STOPPED).contains(next);
            case RUNNING -> Set.of(RUNNING, CREATED, PAUSED, GUARDRAIL, FINISHED, FAILED, STOPPED).contains(next);
            case PAUSED -> Set.of(RUNNING, CREATED, STOPPED, FAILED).contains(next);
            case GUARDRAIL -> Set.of(RUNNING, CREATED, STOPPED, FAILED).contains(next);
            case FINISHED, FAILED, STOPPED -> false;
        };
    }
}
