package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.ApiException;

import java.util.Iterator;

/** The body of {@code POST .../tasks/{id}/respond}: {@code {"answer": "..."}}, the answer to the task's question. */
final class AnswerRequest {
    static final int MAX_ANSWER = 10_000;

    private AnswerRequest() {
    }

    /**
     * @return the answer
     * @throws ApiException 400 naming the field that is unknown or wrong
     */
    static String read(JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("answer")) {
                throw ApiException.badRequest(name, "unknown field; the body is {\"answer\": \"...\"}");
            }
        }
        JsonNode a = body.get("answer");
        if (a == null || !a.isTextual() || a.textValue().isBlank()) {
            throw ApiException.badRequest("answer", "is required: the answer to the task's question");
        }
        if (a.textValue().length() > MAX_ANSWER) {
            throw ApiException.badRequest("answer", "must be at most " + MAX_ANSWER + " characters");
        }
        return a.textValue();
    }
}
