package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.port.LiveView;

import java.util.Set;

/**
 * One input event from a live view's viewer, checked the same way wherever it arrives: {@code POST
 * /live/{taskId}/input} and, on AWS, a message on the viewer's WebSocket (dev.tabrunner.aws.LiveSocketHandler).
 */
public final class LiveInputs {
    private static final Set<String> EVENT_TYPES = Set.of("click", "wheel", "key", "text", "done");
    private static final Set<String> FIELDS = Set.of("type", "x", "y", "dx", "dy", "key", "text");

    private LiveInputs() {
    }

    /**
     * Queues the event {@code body} for the task's page.
     *
     * @param mayAct false for a watch-only link, whose events are refused
     * @throws ApiException 403 {@code watch_only}, or 400 for a body that is not one of the events
     */
    public static void send(LiveView liveView, String taskId, boolean mayAct, String body) {
        if (!mayAct) {
            throw new ApiException(403, "watch_only", "this live view link may watch, not act");
        }
        JsonNode event = RequestBodies.object(body, FIELDS);
        if (!EVENT_TYPES.contains(event.path("type").asText())) {
            throw ApiException.badRequest("type", "must be click, wheel, key, text or done");
        }
        liveView.sendInput(taskId, event);
    }
}
