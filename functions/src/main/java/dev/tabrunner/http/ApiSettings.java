package dev.tabrunner.http;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the API process, read from the environment by the composition root.
 *
 * @param syncWait       how long a task POST waits for the task to finish before answering 202 with a poll URL
 * @param maxUploadBytes largest file accepted by {@code POST /browser/sessions/{id}/files}
 * @param tenantRps      requests per second one tenant may make
 * @param maxSessions    active sessions one tenant may have at once
 * @param maxTasks       tasks one tenant may have waiting or running at once
 */
public record ApiSettings(Duration syncWait, long maxUploadBytes, int tenantRps, int maxSessions, int maxTasks) {
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_SYNC_WAIT_MS = 25_000;

    /**
     * Largest upload a Lambda behind API Gateway accepts: the invocation's payload holds at most 6 MB, and an
     * upload arrives base64-encoded in it (a third larger); past about 4.4 MB API Gateway answers its own bare 413
     * before our function sees the request. Within this bound, ours (with its {@code file_too_large} body) answers.
     */
    public static final long LAMBDA_MAX_UPLOAD_BYTES = 4L * 1024 * 1024;

    /** The settings of an API function on Lambda: {@link #from}, with uploads bounded as Lambda bounds them. */
    public static ApiSettings forLambda(Map<String, String> env) {
        ApiSettings s = from(env);
        return new ApiSettings(s.syncWait(), Math.min(s.maxUploadBytes(), LAMBDA_MAX_UPLOAD_BYTES), s.tenantRps(),
                s.maxSessions(), s.maxTasks());
    }

    public static ApiSettings from(Map<String, String> env) {
        return new ApiSettings(Duration.ofMillis(number(env, "TABRUNNER_SYNC_WAIT_MS", DEFAULT_SYNC_WAIT_MS)),
                number(env, "TABRUNNER_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
                (int) number(env, "TABRUNNER_TENANT_RPS", 50), (int) number(env, "TABRUNNER_TENANT_MAX_SESSIONS", 50),
                (int) number(env, "TABRUNNER_TENANT_MAX_TASKS", 20));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
        }
    }
}
