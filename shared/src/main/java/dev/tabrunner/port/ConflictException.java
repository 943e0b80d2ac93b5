package dev.tabrunner.port;

/** A conditional write lost: someone else changed the object first, or its state forbids the change. */
public class ConflictException extends RuntimeException {
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
