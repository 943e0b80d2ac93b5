package dev.tabrunner.tasks;

import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.service.TaskEnds;
import dev.tabrunner.testing.InMemoryStores;

import java.time.Clock;
import java.time.Duration;

/** The task services wired on in-memory stores, no worker: for unit tests of services built on them. */
public final class InMemoryTaskServices {
    public final Clock clock;
    public final InMemoryStores stores = new InMemoryStores();
    public final ApiSettings settings = new ApiSettings(Duration.ZERO, 1024, 50, 3, 2);
    public final TaskEnds ends;
    public final SessionService sessions;
    public final TaskSubmission submission;
    public final TaskService tasks;

    public InMemoryTaskServices(Clock clock) {
        this.clock = clock;
        this.ends = new TaskEnds(stores.vault(), stores.sessions(), stores.tasks(), clock);
        EnvironmentService environments = new EnvironmentService(stores.blobs(), stores.files(), stores.sessions(),
                clock);
        this.sessions = new SessionService(stores.sessions(), clock, settings, environments,
                stores.recordingDispatcher());
        this.submission = new TaskSubmission(stores.tasks(), stores.recordingDispatcher(), ends, settings, clock);
        FileService files = new FileService(sessions, environments, stores.files(), stores.blobs(), settings, clock);
        this.tasks = new TaskService(sessions, stores.tasks(), stores.recordingDispatcher(), stores.completions(),
                stores.blobs(), settings, clock, stores.sessions(), ends, submission, files);
    }
}
