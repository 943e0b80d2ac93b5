package dev.tabrunner.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * browser-use's (FastAPI's) error format, which its v1 and v2 APIs share: {@code {"detail": "..."}}, and request
 * problems as 422 {@code {"detail": [{"loc", "msg", "type"}]}}, a 400 of ours included.
 */
public final class FastApiErrorFormat implements ErrorFormat {
    public static final FastApiErrorFormat INSTANCE = new FastApiErrorFormat();

    private FastApiErrorFormat() {
    }

    /** {@code {"detail": "..."}}. */
    record Message(String detail) {
    }

    /** {@code {"detail": [...]}}: every problem of the request. */
    record Problems(List<RequestProblem> detail) {
    }

    /** A 400 becomes a 422 with one problem in the body, at {@code details.field} when that is known. */
    @Override
    public ErrorAnswer answer(int status, String code, String message, Map<String, Object> details) {
        if (status != 400) {
            return new ErrorAnswer(status, new Message(message));
        }
        List<Object> loc = new ArrayList<>();
        loc.add("body");
        Object field = details.get("field");
        if (field != null) {
            loc.add(field);
        }
        return problems(List.of(new RequestProblem(loc, message, "invalid_json".equals(code) ? "json_invalid"
                : "value_error")));
    }

    @Override
    public ErrorAnswer problems(List<RequestProblem> problems) {
        return new ErrorAnswer(422, new Problems(problems));
    }

    @Override
    public String schemaName() {
        return "FastApiError";
    }
}
