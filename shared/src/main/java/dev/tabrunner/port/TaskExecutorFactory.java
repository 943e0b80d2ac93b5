package dev.tabrunner.port;

/**
 * Service-provider interface through which a host process finds the worker without depending on it at
 * compile time: the API module must never link against the browser engine, but the local server runs both
 * in one JVM. Implementations are listed in {@code META-INF/services}.
 */
public interface TaskExecutorFactory {
    TaskExecutor create(WorkerEnvironment environment);
}
