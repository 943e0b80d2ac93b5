package dev.tabrunner.worker;

import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.TaskExecutorFactory;
import dev.tabrunner.port.WorkerEnvironment;

/** Makes the Playwright worker available to host processes through {@link java.util.ServiceLoader}. */
public final class PlaywrightTaskExecutorFactory implements TaskExecutorFactory {
    @Override
    public TaskExecutor create(WorkerEnvironment environment) {
        return new TaskWorker(environment);
    }
}
