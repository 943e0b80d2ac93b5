package dev.tabrunner.port;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How frames of a task's page reach a person's viewer and how their clicks and keys come back: every running task
 * has a channel, and so does an idle session a person asked to see. The worker publishes frames and drains input;
 * the API serves the viewer. In one JVM this is a shared in-memory channel.
 */
public interface LiveView {
    /** Opens the channel of a task, reachable with {@code token} until {@code expiresAt}. */
    void open(String taskId, String token, Instant expiresAt);

    /** True when the channel is open and the token is its token (compared in constant time). */
    boolean authorize(String taskId, String token, Instant now);

    /**
     * What a link may do with the channel, and until when.
     *
     * @param act       true for the channel's token (frames and input); false for its watch-only token, the
     *                  token's SHA-256 in hex ({@link #watchToken}), which sees frames only
     * @param expiresAt when the channel closes, or null when the adapter does not say
     * @param asking    true while the task asks the person to act ({@link #asking(String, boolean)})
     */
    record Access(boolean act, Instant expiresAt, boolean asking) {
        public Access(boolean act, Instant expiresAt) {
            this(act, expiresAt, false);
        }
    }

    /**
     * Marks that the task asks the person on the view to act now (a login waits for them: the view says so and
     * offers "Done"), or no longer does. Every running task has a view; most never ask anything of its viewer.
     */
    default void asking(String taskId, boolean asking) {
    }

    /** The link's access to an open channel, or empty for a wrong token or a channel that is closed. */
    default Optional<Access> access(String taskId, String token, Instant now) {
        return authorize(taskId, token, now) ? Optional.of(new Access(true, null)) : Optional.empty();
    }

    /** The watch-only token of a channel's token: its SHA-256 in hex, so that it cannot be turned back. */
    static String watchToken(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether someone watches the channel now: every running task has a view, and the worker paints frames (starts
     * the page's screencast) only once a viewer is there, so that a task nobody watches pays nothing for it. Cheap
     * enough to ask between a task's actions (an adapter that reads a store caches the answer for about a second);
     * an adapter that cannot tell answers true.
     */
    default boolean watched(String taskId) {
        return true;
    }

    /**
     * Where a viewer holding {@code token} receives the channel's frames pushed (a {@code wss://} URL with the
     * token), when this deployment pushes them over a socket of its own; empty when the viewer reads the frames
     * from the API ({@code /live/{taskId}/frames}).
     */
    default Optional<String> frameSocket(String taskId, String token) {
        return Optional.empty();
    }

    void publishFrame(String taskId, byte[] jpeg);

    Optional<byte[]> latestFrame(String taskId);

    /** Queues one input event from the viewer: {@code {type: click, x, y}}, {@code {type: key, key}}, ... */
    void sendInput(String taskId, JsonNode event);

    /** Takes the queued input events, oldest first. */
    List<JsonNode> drainInput(String taskId);

    void close(String taskId);
}
