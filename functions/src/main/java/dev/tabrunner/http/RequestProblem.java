package dev.tabrunner.http;

import java.util.List;

/**
 * One problem of a request, FastAPI's way: where ({@code ["body", "max_agent_steps"]}, {@code ["query", "page"]}),
 * what, and a stable type ({@code missing}, {@code int_type}, {@code value_error}, ...).
 */
public record RequestProblem(List<Object> loc, String msg, String type) {
    public RequestProblem {
        loc = List.copyOf(loc);
    }
}
