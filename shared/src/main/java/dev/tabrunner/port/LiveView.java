package dev.tabrunner.port;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How frames of a task's page reach a person's viewer and how their clicks and keys come back, while a task
 * waits for a human (authenticate {@code prompt_user}). The worker publishes frames and drains input; the API
 * serves the viewer. In one JVM this is a shared in-memory channel.
 */
public interface LiveView {
    /** Opens the channel of a task, reachable with {@code token} until {@code expiresAt}. */
    void open(String taskId, String token, Instant expiresAt);

    /** True when the channel is open and the token is its token (compared in constant time). */
    boolean authorize(String taskId, String token, Instant now);

    void publishFrame(String taskId, byte[] jpeg);

    Optional<byte[]> latestFrame(String taskId);

    /** Queues one input event from the viewer: {@code {type: click, x, y}}, {@code {type: key, key}}, ... */
    void sendInput(String taskId, JsonNode event);

    /** Takes the queued input events, oldest first. */
    List<JsonNode> drainInput(String taskId);

    void close(String taskId);
}
