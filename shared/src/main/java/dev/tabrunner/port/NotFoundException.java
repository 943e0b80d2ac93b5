package dev.tabrunner.port;

/** The object does not exist, or belongs to another tenant: the two are indistinguishable on purpose. */
public class NotFoundException extends RuntimeException {
    private final String code;

    public NotFoundException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
