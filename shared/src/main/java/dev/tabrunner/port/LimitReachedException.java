package dev.tabrunner.port;

/**
 * A tenant already has as many objects of a kind as it may (active sessions, unfinished tasks): the store refused
 * the new one in the same conditional write that would have counted it, so the limit holds under any concurrency.
 */
public class LimitReachedException extends RuntimeException {
    private final int limit;

    public LimitReachedException(String message, int limit) {
        super(message);
        this.limit = limit;
    }

    /** The limit that was reached. */
    public int limit() {
        return limit;
    }
}
