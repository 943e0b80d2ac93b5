package dev.tabrunner.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one error format of the native API: {@code {"error": {"status", "code", "message", ...}}}. */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    public static Map<String, Object> of(int status, String code, String message) {
        return of(status, code, message, Map.of());
    }

    public static Map<String, Object> of(int status, String code, String message, Map<String, Object> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("code", code);
        error.put("message", message);
        error.putAll(details);
        return Map.of("error", error);
    }
}
