package dev.tabrunner.port;

import dev.tabrunner.llm.LanguageModels;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a worker needs from its host process: the stores and the settings. Settings are plain strings
 * (the process environment, usually) so that the worker and its host share no configuration framework.
 *
 * @param dispatcher how the worker hands a task on: a continuation after it yielded, or the next task of a session
 * @param models     the language models of natural-language tasks, built by the host from its settings; they are
 *                   the worker's for its lifetime (it closes them when it closes)
 * @param connections where clients that drive a session over CDP meet the worker
 *                   ({@link BrowserConnections#UNAVAILABLE} on a host that takes no inbound connections)
 */
public record WorkerEnvironment(SessionStore sessions, TaskStore tasks, FileStore files, BlobStore blobs,
                                CredentialStore credentials, CredentialVault vault, LiveView liveView,
                                TaskCompletions completions, TaskDispatcher dispatcher, LanguageModels models,
                                Clock clock, Map<String, String> settings, BrowserConnections connections) {
    /** A worker without CDP connect (a Lambda function, and tests that need none). */
    public WorkerEnvironment(SessionStore sessions, TaskStore tasks, FileStore files, BlobStore blobs,
                             CredentialStore credentials, CredentialVault vault, LiveView liveView,
                             TaskCompletions completions, TaskDispatcher dispatcher, LanguageModels models,
                             Clock clock, Map<String, String> settings) {
        this(sessions, tasks, files, blobs, credentials, vault, liveView, completions, dispatcher, models, clock,
                settings, BrowserConnections.UNAVAILABLE);
    }

    public WorkerEnvironment {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(liveView, "liveView");
        Objects.requireNonNull(completions, "completions");
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(clock, "clock");
        settings = Map.copyOf(settings);
        connections = connections == null ? BrowserConnections.UNAVAILABLE : connections;
    }

    public String setting(String name, String defaultValue) {
        String v = settings.get(name);
        return v == null || v.isBlank() ? defaultValue : v;
    }
}
