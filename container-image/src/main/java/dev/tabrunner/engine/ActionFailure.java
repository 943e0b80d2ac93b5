package dev.tabrunner.engine;

/**
 * An action that could not be carried out, classified the way seed 000 reports it: 400 bad input found only
 * at run time (a malformed selector), 404 nothing matched, 408 timed out, 422 failed semantically,
 * 503 the browser went away.
 */
public class ActionFailure extends RuntimeException {
    private final int status;
    private final String code;

    public ActionFailure(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ActionFailure browserUnavailable(String detail) {
        return new ActionFailure(503, "browser_unavailable",
                "the browser became unreachable (" + detail + "); the next task starts a fresh browser");
    }
}
