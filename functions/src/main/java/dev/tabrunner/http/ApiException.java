package dev.tabrunner.http;

import java.util.Map;

/** An error answered to the caller as-is: HTTP status, a stable code, a message, and optional extra fields. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", field + ": " + message, Map.of("field", field));
    }
}
