package dev.tabrunner.engine;

/**
 * An action that could not be carried out, classified the way seed 000 reports it: 400 bad input found only
 * at run time (a malformed selector), 404 nothing matched, 408 timed out, 422 failed semantically,
 * 503 the browser went away. A failure of a scripted task's listed action also says which action it was.
 */
public class ActionFailure extends RuntimeException {
    private final int status;
    private final String code;
    private final int actionIndex;
    private final String actionType;

    public ActionFailure(int status, String code, String message) {
        this(status, code, message, -1, null);
    }

    private ActionFailure(int status, String code, String message, int actionIndex, String actionType) {
        super(message);
        this.status = status;
        this.code = code;
        this.actionIndex = actionIndex;
        this.actionType = actionType;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The failed action's place in the task's action list, or -1 when the failure was not in a listed action. */
    public int actionIndex() {
        return actionIndex;
    }

    /** The failed action's type, or null when {@link #actionIndex()} is -1. */
    public String actionType() {
        return actionType;
    }

    /** The same failure, as the failure of the action at {@code index} of the task's list. */
    public ActionFailure at(int index, String type) {
        return new ActionFailure(status, code, getMessage(), index, type);
    }

    public static ActionFailure browserUnavailable(String detail) {
        return new ActionFailure(503, "browser_unavailable",
                "the browser became unreachable (" + detail + "); the next task starts a fresh browser");
    }
}
