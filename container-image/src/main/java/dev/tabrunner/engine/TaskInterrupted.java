package dev.tabrunner.engine;

/** Thrown out of a run that must not go on; the engine saves what it can and reports it in its outcome. */
public final class TaskInterrupted extends RuntimeException {
    /** Why the run ended early. */
    public enum Reason {
        /** A caller asked to stop: the task ends as stopped. */
        STOP,
        /** A caller asked to pause: the task waits, with its checkpoint, for a resume. */
        PAUSE,
        /** The host's time limit is near: the task is handed on to continue elsewhere. */
        YIELD,
        /** Someone else changed the task (another worker took it over): leave it alone. */
        LOST
    }

    private final Reason reason;

    public TaskInterrupted(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
