package dev.tabrunner.worker;

import dev.tabrunner.domain.TaskError;

/** The task cannot run at all (its request no longer parses, no model is configured, ...); it fails with this. */
final class CannotRun extends RuntimeException {
    private final TaskError error;

    CannotRun(TaskError error) {
        super(error.message());
        this.error = error;
    }

    TaskError error() {
        return error;
    }
}
