package dev.tabrunner.events;

/**
 * Hears of task changes as {@link ObservedTaskStore} writes them. Called on the writer's thread right after the
 * write; an implementation must be quick (enqueue, log) and should not throw: a failure is logged and the write it
 * follows stands.
 */
@FunctionalInterface
public interface TaskEventListener {
    void onEvent(TaskEvent event);
}
