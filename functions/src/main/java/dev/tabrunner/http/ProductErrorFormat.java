package dev.tabrunner.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The product's own error format, which the native API speaks and every path no dialect declares gets:
 * {@code {"error": {"status", "code", "message", ...details}}} with the error's own status.
 */
public final class ProductErrorFormat implements ErrorFormat {
    public static final ProductErrorFormat INSTANCE = new ProductErrorFormat();

    private ProductErrorFormat() {
    }

    /** The body: {@code {"error": {...}}}. */
    public record Body(ErrorObject error) {
    }

    /** The error; the details (which field, which action, when to retry) follow the message. */
    public record ErrorObject(int status, String code, String message, @JsonIgnore Map<String, Object> details) {
        @JsonAnyGetter
        Map<String, Object> extra() {
            return details;
        }
    }

    @Override
    public ErrorAnswer answer(int status, String code, String message, Map<String, Object> details) {
        return new ErrorAnswer(status, body(status, code, message, details));
    }

    /** Problems as one 400, every problem in the message, the first one's place in {@code field}. */
    @Override
    public ErrorAnswer problems(List<RequestProblem> problems) {
        String message = problems.stream().map(p -> place(p) + ": " + p.msg()).collect(Collectors.joining("; "));
        Map<String, Object> details = problems.isEmpty() ? Map.of() : Map.of("field", place(problems.get(0)));
        return answer(400, "invalid_request", message, details);
    }

    private static String place(RequestProblem p) {
        // the first element says where (body, query), which the native format does not name
        return p.loc().stream().skip(1).map(String::valueOf).collect(Collectors.joining("."));
    }

    public static Body body(int status, String code, String message) {
        return body(status, code, message, Map.of());
    }

    public static Body body(int status, String code, String message, Map<String, Object> details) {
        // insertion order kept: the details come out in the order they were given
        return new Body(new ErrorObject(status, code, message, new LinkedHashMap<>(details)));
    }
}
