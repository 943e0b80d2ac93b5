package dev.tabrunner.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error formats, chosen in one place by the request's path: the native API's
 * {@code {"error": {"status", "code", "message", ...}}}, and under {@code /api/v1/} browser-use's (FastAPI's)
 * {@code {"detail": "..."}}, with request problems as 422 {@code {"detail": [{"loc", "msg", "type"}]}}.
 */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /** True for the paths of the browser-use v1 dialect, which keeps its seeds' error shape. */
    public static boolean isBrowserUseV1(String path) {
        return path != null && path.startsWith("/api/v1/");
    }

    /** The status an error is answered with on this path: v1 reports request problems as 422. */
    public static int statusFor(String path, int status, String code) {
        return isBrowserUseV1(path) && status == 400 ? 422 : status;
    }

    /** The body of an error on this path; {@code details.field}, when present, says which field was wrong. */
    public static Map<String, Object> forPath(String path, int status, String code, String message,
                                              Map<String, Object> details) {
        if (!isBrowserUseV1(path)) {
            return of(status, code, message, details);
        }
        if (status == 400) {
            Object field = details.get("field");
            List<Object> loc = new ArrayList<>();
            loc.add("body");
            if (field != null) {
                loc.add(field);
            }
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("loc", loc);
            problem.put("msg", message);
            problem.put("type", "invalid_json".equals(code) ? "json_invalid" : "value_error");
            return Map.of("detail", List.of(problem));
        }
        return Map.of("detail", message);
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
