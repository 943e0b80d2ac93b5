package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.RequestBodies;

/** How the native API reads a task body before it knows which kind of task the body asks for. */
public final class TaskBodies {
    private TaskBodies() {
    }

    /** Parses a task body; a body that may carry secrets is never quoted back in a parse error. */
    public static JsonNode parse(String body) {
        return RequestBodies.parse(body, body == null || !body.contains("secrets"));
    }

    /** True when the body asks for a natural-language task ({@code taskDetails}) rather than a scripted one. */
    public static boolean isAgentTask(JsonNode body) {
        return body.has("taskDetails");
    }
}
