package dev.tabrunner.domain;

import java.util.Objects;

/**
 * Why a task failed. {@code status} is the HTTP status the seed assigns to the failure (404 selector matched
 * nothing, 408 timeout, 422 semantic failure, 503 browser unreachable); {@code actionIndex} is -1 when the
 * failure was not inside an action (the initial navigation, the final screenshot, ...).
 */
public record TaskError(int status, String code, String message, int actionIndex, String actionType) {
    public TaskError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static TaskError of(int status, String code, String message) {
        return new TaskError(status, code, message, -1, null);
    }
}
