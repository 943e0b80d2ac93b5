package dev.tabrunner.testing;

import dev.tabrunner.adapter.LanguageModelClients;
import dev.tabrunner.adapter.local.InProcessLiveView;
import dev.tabrunner.adapter.local.InProcessTaskCompletions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.WorkerEnvironment;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One consistent set of in-memory stores for a unit test of the API services or the worker: the services and the
 * worker built on one instance see the same sessions, tasks, files and secrets, as they would on one table. The
 * default dispatcher only records what was dispatched, so a test decides whether and when a task runs.
 *
 * <pre>{@code
 * InMemoryStores stores = new InMemoryStores();
 * var service = new SessionService(stores.sessions(), ...);
 * var worker = new TaskWorker(stores.workerEnvironment(clock, Map.of()));
 * }</pre>
 */
public final class InMemoryStores {
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemoryTaskStore tasks = new InMemoryTaskStore();
    private final InMemoryFileStore files = new InMemoryFileStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private final InMemoryApiKeyStore apiKeys = new InMemoryApiKeyStore();
    private final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore();
    private final InProcessLiveView liveView = new InProcessLiveView();
    private final InProcessTaskCompletions completions = new InProcessTaskCompletions();
    private final List<TaskRecord> dispatched = new CopyOnWriteArrayList<>();

    public InMemorySessionStore sessions() {
        return sessions;
    }

    public InMemoryTaskStore tasks() {
        return tasks;
    }

    public InMemoryFileStore files() {
        return files;
    }

    public InMemoryBlobStore blobs() {
        return blobs;
    }

    public InMemoryCredentialStore credentials() {
        return credentials;
    }

    public InMemoryCredentialVault vault() {
        return vault;
    }

    public InMemoryApiKeyStore apiKeys() {
        return apiKeys;
    }

    public InMemoryIdempotencyStore idempotency() {
        return idempotency;
    }

    public InProcessLiveView liveView() {
        return liveView;
    }

    public InProcessTaskCompletions completions() {
        return completions;
    }

    /** A dispatcher that records each task it is handed, in order, and runs nothing. */
    public TaskDispatcher recordingDispatcher() {
        return dispatched::add;
    }

    /** The tasks handed to {@link #recordingDispatcher()} so far, oldest first. */
    public List<TaskRecord> dispatched() {
        return List.copyOf(dispatched);
    }

    /** What a worker needs, on these stores, dispatching through {@link #recordingDispatcher()}. */
    public WorkerEnvironment workerEnvironment(Clock clock, Map<String, String> settings) {
        return workerEnvironment(recordingDispatcher(), clock, settings);
    }

    public WorkerEnvironment workerEnvironment(TaskDispatcher dispatcher, Clock clock, Map<String, String> settings) {
        return new WorkerEnvironment(sessions, tasks, files, blobs, credentials, vault, liveView, completions,
                dispatcher, new LanguageModelClients(LanguageModelSettings.from(settings), vault), clock, settings);
    }
}
