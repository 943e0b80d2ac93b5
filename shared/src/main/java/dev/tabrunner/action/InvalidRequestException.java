package dev.tabrunner.action;

/** A request body that breaks the contract. Answered with 400 and the offending field's path. */
public class InvalidRequestException extends RuntimeException {
    private final String field;
    private final int actionIndex;
    private final String actionType;

    public InvalidRequestException(String field, String message) {
        this(field, message, -1, null);
    }

    public InvalidRequestException(String field, String message, int actionIndex, String actionType) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
        this.actionIndex = actionIndex;
        this.actionType = actionType;
    }

    public String field() {
        return field;
    }

    public int actionIndex() {
        return actionIndex;
    }

    public String actionType() {
        return actionType;
    }
}
