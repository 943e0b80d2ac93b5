package dev.tabrunner.http;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of natural-language tasks on the API side.
 *
 * @param syncWait how long {@code POST .../tasks} with {@code taskDetails}, {@code POST /browser/run-task} and
 *                 {@code POST .../respond} wait for the task before answering with a poll URL (seed 001: 50 s)
 */
public record AgentApiSettings(Duration syncWait) {
    public static final long DEFAULT_SYNC_WAIT_MS = 50_000;

    public static AgentApiSettings from(Map<String, String> env) {
        String v = env.get("TABRUNNER_AGENT_SYNC_WAIT_MS");
        long ms = DEFAULT_SYNC_WAIT_MS;
        if (v != null && !v.isBlank()) {
            try {
                ms = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("TABRUNNER_AGENT_SYNC_WAIT_MS must be a whole number, not '" + v
                        + "'");
            }
        }
        return new AgentApiSettings(Duration.ofMillis(ms));
    }
}
