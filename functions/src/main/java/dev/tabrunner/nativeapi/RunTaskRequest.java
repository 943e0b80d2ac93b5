package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /browser/run-task} (seed 001's single-task pattern): a natural-language task's fields and,
 * alongside them, the options of the session created for it, which always ends with the task.
 *
 * @param task    the checked task, made to end its session
 * @param session the options of the task's session
 */
record RunTaskRequest(AgentTaskRequestParser.Parsed task, SessionOptions session) {
    /** Every field the body may hold: the agent task's and the session's. */
    static final Set<String> FIELDS;

    static {
        Set<String> fields = new HashSet<>(AgentTaskRequestParser.FIELDS);
        fields.addAll(SessionRequest.FIELDS);
        FIELDS = Set.copyOf(fields);
    }

    /**
     * @param body   the whole body
     * @param parsed its agent task's fields, already checked ({@code AgentTaskService.check} with {@link #FIELDS})
     * @throws ApiException 400 when the body asks to keep the session, or a session option is wrong
     */
    static RunTaskRequest read(JsonNode body, AgentTaskRequestParser.Parsed parsed) {
        if (body.has("terminateOnCompletion") && !body.get("terminateOnCompletion").asBoolean(true)) {
            throw ApiException.badRequest("terminateOnCompletion", "a run-task session always ends with its task;"
                    + " create a session to keep it");
        }
        ObjectNode session = Json.mapper().createObjectNode();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (SessionRequest.FIELDS.contains(name) || SessionRequest.SHARED_WITH_TASKS.contains(name)) {
                session.set(name, body.get(name));
            }
        }
        return new RunTaskRequest(new AgentTaskRequestParser.Parsed(parsed.request().terminatingSession(),
                parsed.secrets()), SessionRequest.read(session));
    }
}
