package dev.tabrunner.agent;

import dev.tabrunner.domain.TaskError;

/**
 * How an agent run ended: completed (the model called {@code done}, or the output budget cut its answer), or
 * failed with a reason. The details (message, output, usage, steps, replay) are in the {@link AgentState}.
 */
public record AgentOutcome(boolean completed, TaskError error) {
    public static AgentOutcome completedRun() {
        return new AgentOutcome(true, null);
    }

    public static AgentOutcome failed(int status, String code, String message) {
        return new AgentOutcome(false, TaskError.of(status, code, message));
    }
}
