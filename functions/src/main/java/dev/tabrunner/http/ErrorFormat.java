package dev.tabrunner.http;

import java.util.List;
import java.util.Map;

/**
 * How a dialect answers errors: the body's shape and the status it reports (browser-use v1 reports request problems
 * as 422, the way FastAPI does). Looked up by {@link Dialects} from the request's path.
 */
public interface ErrorFormat {
    /**
     * The answer to one error.
     *
     * @param status  the status the error has in the product's own terms
     * @param code    a stable code ({@code invalid_request}, {@code task_not_found}, ...)
     * @param details extra fields; {@code field}, when present, names the field that was wrong
     */
    ErrorAnswer answer(int status, String code, String message, Map<String, Object> details);

    /** The answer to a request with several problems, all reported at once. */
    ErrorAnswer problems(List<RequestProblem> problems);

    /** The name of the body's schema among the OpenAPI document's components ({@code src/main/openapi}). */
    default String schemaName() {
        return "ProductError";
    }

    /** The status and body an error is answered with. */
    record ErrorAnswer(int status, Object body) {
    }
}
