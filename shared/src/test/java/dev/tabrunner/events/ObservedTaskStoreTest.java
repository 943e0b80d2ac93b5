package dev.tabrunner.events;

import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.InMemoryTaskStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which writes are events: every writer's, whatever the dialect, told apart by what the task was before. */
class ObservedTaskStoreTest {
    private final Instant now = Instant.parse("2026-05-01T10:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final InMemoryTaskStore stored = new InMemoryTaskStore();
    private final List<TaskEvent> events = new ArrayList<>();
    private final ObservedTaskStore tasks = new ObservedTaskStore(stored, List.of(events::add), clock);

    private TaskRecord created() {
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), "acme", "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), null, null, "key-1", now);
        tasks.create(t);
        return t;
    }

    private List<TaskEvent.Kind> kinds() {
        return events.stream().map(TaskEvent::kind).toList();
    }

    @Test
    void aTaskThatRuns_pausesAndCompletes_isCreatedStartedPausedCompleted_withoutCheckpointEvents() {
        TaskRecord t = created();
        TaskRecord running = t.toBuilder().status(TaskStatus.RUNNING).startedAt(now).build();
        tasks.update(running);
        TaskRecord checkpoint = running.toBuilder().build();
        tasks.update(checkpoint);
        TaskRecord paused = checkpoint.toBuilder().status(TaskStatus.PAUSED).build();
        tasks.update(paused);
        TaskRecord resumed = paused.toBuilder().status(TaskStatus.CREATED).build();
        tasks.update(resumed);
        TaskRecord runningAgain = resumed.toBuilder().status(TaskStatus.RUNNING).build();
        tasks.update(runningAgain);
        tasks.update(runningAgain.toBuilder().status(TaskStatus.FINISHED).finishedAt(now.plusSeconds(3)).build());

        assertThat(kinds()).containsExactly(TaskEvent.Kind.CREATED, TaskEvent.Kind.STARTED, TaskEvent.Kind.PAUSED,
                TaskEvent.Kind.COMPLETED);
        assertThat(events.get(3).duration()).hasSeconds(3);
        assertThat(events.get(3).task().createdBy()).isEqualTo("key-1");
        assertThat(events).extracting(TaskEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void aWriteByAnotherProcess_isToldApartByReadingTheTaskBefore() {
        TaskRecord t = created();
        // another process's store: it never saw the task, as a Lambda function that only receives its id
        List<TaskEvent> elsewhere = new ArrayList<>();
        ObservedTaskStore other = new ObservedTaskStore(stored, List.of(elsewhere::add), clock);
        other.update(t.toBuilder().status(TaskStatus.FAILED).finishedAt(now)
                .error(new TaskError(404, "selector_not_found", "no #x", 2, "click")).build());

        assertThat(elsewhere).extracting(TaskEvent::kind).containsExactly(TaskEvent.Kind.FAILED);
    }

    @Test
    void guardrailAndStop_areNeedsInputAndStopped_andAFailingListenerLeavesTheWriteStanding() {
        List<TaskEvent> heard = new ArrayList<>();
        ObservedTaskStore noisy = new ObservedTaskStore(stored, List.of(e -> {
            throw new IllegalStateException("receiver down");
        }, heard::add), clock);
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), "acme", "s1", TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), now);
        noisy.create(t);
        TaskRecord running = t.toBuilder().status(TaskStatus.RUNNING).startedAt(now).build();
        noisy.update(running);
        TaskRecord waiting = running.toBuilder().status(TaskStatus.GUARDRAIL).build();
        noisy.update(waiting);
        noisy.update(waiting.toBuilder().status(TaskStatus.STOPPED).finishedAt(now).build());

        assertThat(heard).extracting(TaskEvent::kind).containsExactly(TaskEvent.Kind.CREATED,
                TaskEvent.Kind.STARTED, TaskEvent.Kind.NEEDS_INPUT, TaskEvent.Kind.STOPPED);
        assertThat(stored.find("acme", t.id()).orElseThrow().status()).isEqualTo(TaskStatus.STOPPED);
    }
}
