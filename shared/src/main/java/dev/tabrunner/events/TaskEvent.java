package dev.tabrunner.events;

import dev.tabrunner.domain.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A task changed state in a way a caller may want to hear about. Built from the task as just written, so it says
 * what the task is now; the {@link Kind} says which change this was.
 *
 * @param id   unique per event: a webhook receiver de-duplicates deliveries with it
 * @param task the task as written by the change
 * @param at   when the change was written
 */
public record TaskEvent(String id, Kind kind, TaskRecord task, Instant at) {
    public TaskEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(at, "at");
    }

    public static TaskEvent of(Kind kind, TaskRecord task, Instant at) {
        return new TaskEvent("evt_" + UUID.randomUUID().toString().replace("-", ""), kind, task, at);
    }

    /** The changes events are made of, each with the name callers see and whether webhooks announce it. */
    public enum Kind {
        CREATED("created", false),
        STARTED("started", true),
        PAUSED("paused", true),
        NEEDS_INPUT("needs_input", true),
        COMPLETED("completed", true),
        FAILED("failed", true),
        STOPPED("stopped", true);

        private final String wireName;
        private final boolean announced;

        Kind(String wireName, boolean announced) {
            this.wireName = wireName;
            this.announced = announced;
        }

        public String wireName() {
            return wireName;
        }

        /** Whether webhooks receive it ({@code task.updated}); a task's creation is the caller's own answer. */
        public boolean announced() {
            return announced;
        }
    }

    /** The dialect that created the task ({@code native} for the product's own API). */
    public String dialect() {
        return task.dialect() == null ? "native" : task.dialect().name();
    }

    /** How long the task ran, from its first start to its end; null while it has not ended or never started. */
    public Duration duration() {
        if (task.startedAt() == null || task.finishedAt() == null) {
            return null;
        }
        return Duration.between(task.startedAt(), task.finishedAt());
    }
}
